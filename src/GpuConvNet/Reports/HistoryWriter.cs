using System.Globalization;
using System.Text;
using System.Text.Json;
using GpuConvNet.Training;

namespace GpuConvNet.Reports;

/// <summary>Writes a training history as CSV and JSON (invariant culture; each written to a temp file and renamed).</summary>
public static class HistoryWriter
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The CSV text: a header, then one row per epoch.</summary>
    public static string ToCsv(IEnumerable<EpochRecord> history)
    {
        var text = new StringBuilder("epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,learning_rate,seconds,images_per_second\n");
        foreach (var e in history)
        {
            text.AppendLine(string.Join(',',
                e.Epoch.ToString(CultureInfo.InvariantCulture), F(e.TrainLoss), F(e.TrainAccuracy), F(e.ValidationLoss),
                F(e.ValidationAccuracy), F(e.LearningRate), F(e.Seconds), F(e.ImagesPerSecond)));
        }
        return text.ToString();
    }

    /// <summary>The JSON text: an array of epoch objects.</summary>
    public static string ToJson(IEnumerable<EpochRecord> history) => JsonSerializer.Serialize(history, Json);

    /// <summary>Writes <paramref name="basePath"/>.csv and .json.</summary>
    public static void Write(string basePath, IReadOnlyList<EpochRecord> history)
    {
        AtomicFile.WriteAllText(basePath + ".csv", ToCsv(history), "history");
        AtomicFile.WriteAllText(basePath + ".json", ToJson(history), "history");
    }

    private static string F(double value) => value.ToString("G9", CultureInfo.InvariantCulture);
}
