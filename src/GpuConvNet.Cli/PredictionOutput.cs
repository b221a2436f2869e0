using System.Globalization;
using System.Text;
using System.Text.Json;
using GpuConvNet.Inference;
using Spectre.Console;

namespace GpuConvNet.Cli;

/// <summary>What <c>predict</c> found for one file: a prediction, or why there is none.</summary>
/// <param name="Path">The file as the user named it (or as found in a folder).</param>
/// <param name="Prediction">The prediction, when the file held a digit.</param>
/// <param name="Error">Why not, in the user's words, without the path.</param>
public sealed record PredictionRow(string Path, Prediction? Prediction, string? Error);

/// <summary>The formats <c>predict</c> writes.</summary>
public enum PredictionFormat
{
    /// <summary>A table for people; files that failed are listed under it.</summary>
    Table,

    /// <summary>RFC 4180 CSV with a header: path, class, label, probability, p_&lt;label&gt; for every class, error.</summary>
    Csv,

    /// <summary>A JSON array of {path, class, label, probability, probabilities} or {path, error}.</summary>
    Json,
}

/// <summary>Writes <see cref="PredictionRow"/>s as a table, CSV or JSON, classes called by <paramref name="labels"/> (the checkpoint's class names).</summary>
public sealed class PredictionOutput(IReadOnlyList<string> labels)
{
    /// <summary>Writes <paramref name="rows"/> in <paramref name="format"/>: tables to <paramref name="console"/>, the others to <paramref name="text"/>.</summary>
    public void Write(IReadOnlyList<PredictionRow> rows, PredictionFormat format, IAnsiConsole console, TextWriter text)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(text);
        switch (format)
        {
            case PredictionFormat.Csv:
                text.Write(ToCsv(rows));
                break;
            case PredictionFormat.Json:
                text.WriteLine(ToJson(rows));
                break;
            default:
                WriteTable(rows, console);
                break;
        }
    }

    /// <summary>The CSV document (header and one line per file).</summary>
    public string ToCsv(IReadOnlyList<PredictionRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int classes = labels.Count;
        var csv = new StringBuilder();
        csv.Append("path,class,label,probability");
        foreach (string label in labels)
        {
            csv.Append(',').Append(Quote("p_" + label));
        }
        csv.Append(",error\n");
        foreach (var row in rows)
        {
            csv.Append(Quote(row.Path));
            if (row.Prediction is { } p)
            {
                csv.Append(CultureInfo.InvariantCulture, $",{p.Class},{Quote(labels[p.Class])},{Number(p.Probabilities[p.Class])}");
                foreach (double probability in p.Probabilities)
                {
                    csv.Append(',').Append(Number(probability));
                }
                csv.Append(",\n");
            }
            else
            {
                csv.Append(',', 4 + classes).Append(Quote(row.Error ?? "")).Append('\n');
            }
        }
        return csv.ToString();
    }

    /// <summary>The JSON document: an array with one object per file.</summary>
    public string ToJson(IReadOnlyList<PredictionRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartObject();
                json.WriteString("path", row.Path);
                if (row.Prediction is { } p)
                {
                    json.WriteNumber("class", p.Class);
                    json.WriteString("label", labels[p.Class]);
                    json.WriteNumber("probability", Math.Round(p.Probabilities[p.Class], 6));
                    json.WriteStartArray("probabilities");
                    foreach (double probability in p.Probabilities)
                    {
                        json.WriteNumberValue(Math.Round(probability, 6));
                    }
                    json.WriteEndArray();
                }
                else
                {
                    json.WriteString("error", row.Error);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private void WriteTable(IReadOnlyList<PredictionRow> rows, IAnsiConsole console)
    {
        var predicted = rows.Where(r => r.Prediction is not null).ToList();
        if (predicted.Count > 0)
        {
            var table = new Table().AddColumns("image", "class", "probability", "runner-up");
            foreach (var row in predicted)
            {
                var p = row.Prediction!;
                int second = Enumerable.Range(0, p.Probabilities.Length).Where(c => c != p.Class).MaxBy(c => p.Probabilities[c]);
                table.AddRow(Markup.Escape(SharedOptions.Printable(row.Path)), $"[bold]{Markup.Escape(SharedOptions.Printable(labels[p.Class]))}[/]",
                    Percent(p.Probabilities[p.Class]), $"{Markup.Escape(SharedOptions.Printable(labels[second]))} ({Percent(p.Probabilities[second])})");
            }
            console.Write(table);
        }
        var failed = rows.Where(r => r.Prediction is null).ToList();
        if (failed.Count > 0)
        {
            console.MarkupLineInterpolated($"[red]no prediction for {Words.Count(failed.Count, "image")}:[/]");
            foreach (var row in failed)
            {
                console.MarkupLineInterpolated($"  {SharedOptions.Printable(row.Path)}: {SharedOptions.Printable(row.Error ?? "")}");
            }
        }
    }

    private static string Percent(double p) => p.ToString("P1", CultureInfo.InvariantCulture);

    private static string Number(double value) => Math.Round(value, 6).ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
