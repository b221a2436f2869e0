using System.Text.Json;
using GpuConvNet.Imaging;
using Microsoft.AspNetCore.Http;

namespace GpuConvNet.Web;

/// <summary>
/// The body of <c>POST /api/predict</c> as a 28×28 field: an image file (the raw body, any image content type, or
/// the first file of a multipart form) goes through <see cref="DigitImage"/>, as in <c>gpuconvnet predict</c>; JSON
/// <c>{"pixels": [[…28 numbers…] × 28]}</c> with values 0–255 (0 background, 255 ink, as MNIST) is used as it is.
/// </summary>
public static class PredictionRequest
{
    /// <summary>The field the request carries.</summary>
    /// <exception cref="RequestException">The request is empty, of another kind, or its pixels have the wrong shape.</exception>
    /// <exception cref="UserInputException">The image cannot be read or holds no digit.</exception>
    public static async Task<byte[]> ReadField(HttpRequest request, InkPolarity polarity, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(request);
        string type = request.ContentType ?? "";
        if (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Pixels(await ReadBody(request.Body, cancel).ConfigureAwait(false));
        }
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancel).ConfigureAwait(false);
            var file = form.Files.GetFile("image") ?? form.Files.FirstOrDefault()
                ?? throw new RequestException(StatusCodes.Status400BadRequest, "the form has no file; send the image as a file field named 'image'");
            await using var stream = file.OpenReadStream();
            return Image(await ReadBody(stream, cancel).ConfigureAwait(false), polarity);
        }
        if (type.Length > 0 && !type.StartsWith("image/", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            throw new RequestException(StatusCodes.Status415UnsupportedMediaType,
                $"content type {type} is not accepted; send an image (image/png, image/jpeg…), a multipart form with a file, or JSON {{\"pixels\": 28×28 numbers}}");
        }
        return Image(await ReadBody(request.Body, cancel).ConfigureAwait(false), polarity);
    }

    private static byte[] Image(byte[] bytes, InkPolarity polarity)
    {
        if (bytes.Length == 0)
        {
            throw new RequestException(StatusCodes.Status400BadRequest, "the request has no image; send an image file (PNG, JPEG, …) or JSON {\"pixels\": 28×28 numbers}");
        }
        const string name = "image";
        try
        {
            return DigitImage.Decode(bytes, name, polarity);
        }
        catch (UserInputException e)
        {
            throw new UserInputException(DigitImage.WithoutName(e.Message, name), e);
        }
    }

    /// <summary>The field of <c>{"pixels": [[…]]}</c>: 28 rows of 28 numbers in 0..255.</summary>
    public static byte[] Pixels(byte[] json)
    {
        ArgumentNullException.ThrowIfNull(json);
        const int side = MnistPreprocessor.FieldSize;
        JsonElement rows;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("pixels", out rows))
            {
                throw Shape("the JSON has no \"pixels\"");
            }
            rows = rows.Clone();
        }
        catch (JsonException e)
        {
            throw new RequestException(StatusCodes.Status400BadRequest, $"the body is not valid JSON ({e.Message})");
        }
        if (rows.ValueKind != JsonValueKind.Array || rows.GetArrayLength() != side)
        {
            int count = rows.ValueKind == JsonValueKind.Array ? rows.GetArrayLength() : 0;
            throw Shape($"\"pixels\" has {count} row{(count == 1 ? "" : "s")}");
        }
        var field = new byte[side * side];
        int y = 0;
        foreach (var row in rows.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != side)
            {
                int count = row.ValueKind == JsonValueKind.Array ? row.GetArrayLength() : 0;
                throw Shape($"row {y} has {count} value{(count == 1 ? "" : "s")}");
            }
            int x = 0;
            foreach (var value in row.EnumerateArray())
            {
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double v) || v is < 0 or > 255 || double.IsNaN(v))
                {
                    throw Shape($"pixel ({x}, {y}) is {value}, not a number from 0 to 255");
                }
                field[y * side + x++] = (byte)Math.Round(v);
            }
            y++;
        }
        return field;
    }

    private static RequestException Shape(string problem) =>
        new(StatusCodes.Status400BadRequest, $"{problem}; send {{\"pixels\": [[…28 numbers from 0 to 255…] × 28 rows]}}, 0 background and 255 ink");

    private static async Task<byte[]> ReadBody(Stream body, CancellationToken cancel)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancel).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
