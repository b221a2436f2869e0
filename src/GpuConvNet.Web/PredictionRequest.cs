using System.Text.Json;
using GpuConvNet.Imaging;
using Microsoft.AspNetCore.Http;

namespace GpuConvNet.Web;

/// <summary>
/// The body of <c>POST /api/predict</c> as the model's input (a 28×28 field for MNIST models): an image file (the raw
/// body, any image content type, or the first file of a multipart form) goes through <see cref="InputImage"/> with the
/// checkpoint's preprocessing, as in <c>gpuconvnet predict</c>; JSON <c>{"pixels": [[…width numbers…] × height]}</c>
/// with values 0–255 (0 background, 255 ink, as MNIST) is used as it is.
/// </summary>
public static class PredictionRequest
{
    /// <summary>The field the request carries.</summary>
    /// <exception cref="RequestException">The request is empty, of another kind, or its pixels have the wrong shape.</exception>
    /// <exception cref="UserInputException">The image cannot be read or holds no digit.</exception>
    public static async Task<byte[]> ReadField(HttpRequest request, Preprocessing preprocessing, InkPolarity polarity, DecodeGate gate, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(gate);
        string type = request.ContentType ?? "";
        if (type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Pixels(await ReadBody(request.Body, request.ContentLength, cancel).ConfigureAwait(false), preprocessing.Width, preprocessing.Height);
        }
        if (request.HasFormContentType)
        {
            var files = (await ReadForm(request, cancel).ConfigureAwait(false)).Files;
            var file = files.GetFile("image") ?? files.FirstOrDefault()
                ?? throw new RequestException(StatusCodes.Status400BadRequest, "the form has no file; send the image as a file field named 'image'");
            await using var stream = file.OpenReadStream();
            return await Image(await ReadBody(stream, file.Length, cancel).ConfigureAwait(false), preprocessing, polarity, gate, cancel).ConfigureAwait(false);
        }
        if (type.Length > 0 && !type.StartsWith("image/", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            throw new RequestException(StatusCodes.Status415UnsupportedMediaType,
                $"content type {type} is not accepted; send an image (image/png, image/jpeg…), a multipart form with a file, or JSON {{\"pixels\": 28×28 numbers}}");
        }
        return await Image(await ReadBody(request.Body, request.ContentLength, cancel).ConfigureAwait(false), preprocessing, polarity, gate, cancel).ConfigureAwait(false);
    }

    private static async Task<IFormCollection> ReadForm(HttpRequest request, CancellationToken cancel)
    {
        try
        {
            return await request.ReadFormAsync(cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException || (e is IOException && !cancel.IsCancellationRequested))
        {
            // No boundary in the Content-Type, parts that do not follow it, or a body that ends inside a part.
            throw new RequestException(StatusCodes.Status400BadRequest,
                $"the multipart form cannot be read ({(e is InvalidDataException ? e.Message.TrimEnd('.') : "it ends inside a part")}); send the image as a file field named 'image' of a multipart/form-data body with its boundary");
        }
    }

    private static Task<byte[]> Image(byte[] bytes, Preprocessing preprocessing, InkPolarity polarity, DecodeGate gate, CancellationToken cancel)
    {
        if (bytes.Length == 0)
        {
            throw new RequestException(StatusCodes.Status400BadRequest, "the request has no image; send an image file (PNG, JPEG, …) or JSON {\"pixels\": 28×28 numbers}");
        }
        const string name = "image";
        return gate.Decode(bytes, image =>
        {
            try
            {
                return InputImage.Decode(image, name, preprocessing, polarity);
            }
            catch (UserInputException e)
            {
                throw new UserInputException(InputImage.WithoutName(e.Message, name), e);
            }
        }, cancel);
    }

    /// <summary>The input of <c>{"pixels": [[…]]}</c>: <paramref name="height"/> rows of <paramref name="width"/> numbers in 0..255.</summary>
    public static byte[] Pixels(byte[] json, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonElement rows;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("pixels", out rows))
            {
                throw Shape("the JSON has no \"pixels\"", width, height);
            }
            rows = rows.Clone();
        }
        catch (JsonException e)
        {
            throw new RequestException(StatusCodes.Status400BadRequest, $"the body is not valid JSON ({e.Message})");
        }
        if (rows.ValueKind != JsonValueKind.Array || rows.GetArrayLength() != height)
        {
            int count = rows.ValueKind == JsonValueKind.Array ? rows.GetArrayLength() : 0;
            throw Shape($"\"pixels\" has {count} row{(count == 1 ? "" : "s")}", width, height);
        }
        var field = new byte[width * height];
        int y = 0;
        foreach (var row in rows.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != width)
            {
                int count = row.ValueKind == JsonValueKind.Array ? row.GetArrayLength() : 0;
                throw Shape($"row {y} has {count} value{(count == 1 ? "" : "s")}", width, height);
            }
            int x = 0;
            foreach (var value in row.EnumerateArray())
            {
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double v) || v is < 0 or > 255 || double.IsNaN(v))
                {
                    throw Shape($"pixel ({x}, {y}) is {value}, not a number from 0 to 255", width, height);
                }
                field[y * width + x++] = (byte)Math.Round(v);
            }
            y++;
        }
        return field;
    }

    private static RequestException Shape(string problem, int width, int height) =>
        new(StatusCodes.Status400BadRequest, $"{problem}; send {{\"pixels\": [[…{width} numbers from 0 to 255…] × {height} rows]}}, 0 background and 255 ink");

    // Into one array of the announced length (Kestrel has held the body to MaxRequestBytes); only a body of unknown
    // length (chunked) grows a buffer and is copied out of it.
    private static async Task<byte[]> ReadBody(Stream body, long? length, CancellationToken cancel)
    {
        if (length is { } known && known <= DigitServer.MaxRequestBytes)
        {
            var bytes = new byte[known];
            await body.ReadExactlyAsync(bytes, cancel).ConfigureAwait(false);
            return bytes;
        }
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancel).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
