using GpuConvNet.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace GpuConvNet.Web.Tests.Browser;

/// <summary>
/// The page serving a model trained on 'gpuconvnet shapes' pictures: it asks for shapes by name, and shapes drawn
/// with the mouse are classified. Each drawing's answer is printed, for the README's table
/// (GPUCONVNET_SHAPES_CHECKPOINT measures another model; GPUCONVNET_SCREENSHOT=x.png keeps x-shapes.png of the star).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ShapesPageTests
{
    private static BrowserSession session = null!;

    [ClassInitialize]
    public static async Task Start(TestContext context) => session = await BrowserSession.Start(() => TrainedModel.Shapes);

    [ClassCleanup]
    public static async Task Stop()
    {
        if (session is not null)
        {
            await session.DisposeAsync();
        }
    }

    public static IEnumerable<object[]> Drawings =>
    [
        ["circle", Strokes.Circle(0.5, 0.5, 0.33, 0.3)],
        ["line", new[] { Strokes.Line((0.15, 0.8), (0.85, 0.2)) }],
        ["cross", new[] { Strokes.Line((0.2, 0.2), (0.8, 0.8)), Strokes.Line((0.8, 0.2), (0.2, 0.8)) }],
        ["square", new[] { Strokes.Polygon([(0.2, 0.2), (0.8, 0.2), (0.8, 0.8), (0.2, 0.8)]) }],
        ["triangle", new[] { Strokes.Polygon([(0.5, 0.15), (0.85, 0.82), (0.15, 0.82)]) }],
        ["star", new[] { Strokes.Polygon(Enumerable.Range(0, 5).Select(k => -Math.PI / 2 + k * 4 * Math.PI / 5).Select(a => (0.5 + 0.36 * Math.Cos(a), 0.52 + 0.36 * Math.Sin(a))).ToArray()) }],
    ];

    [TestMethod]
    [DynamicData(nameof(Drawings))]
    public async Task DrawingAShape_IsClassifiedAsThatShape(string shape, (double X, double Y)[][] strokes)
    {
        var page = await session.Open();
        await Assertions.Expect(page.Locator("#title")).ToHaveTextAsync("Draw one of: circle, cross, line, square, star, triangle");

        foreach (var stroke in strokes)
        {
            await BrowserSession.Draw(page, stroke, steps: 4);
        }

        await Assertions.Expect(page.Locator("body[data-state=predicted]")).ToBeVisibleAsync();
        string answer = (await page.Locator("#top-digit").TextContentAsync())!;
        Console.WriteLine($"drew a {shape}: the page says {answer} {await page.Locator("#top-probability").TextContentAsync()}");
        if (Environment.GetEnvironmentVariable("GPUCONVNET_SCREENSHOT") is { Length: > 0 } screenshot && shape == "star")
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot.Replace(".png", "-shapes.png", StringComparison.Ordinal), FullPage = true });
        }
        Assert.AreEqual(shape, answer);
        Assert.AreEqual(6, await page.Locator("#bars li").CountAsync(), "a bar per shape");
    }

    /// <summary>Strokes as a hand would move the mouse, in fractions of the pad.</summary>
    private static class Strokes
    {
        public static (double X, double Y)[][] Circle(double cx, double cy, double rx, double ry) =>
            [[.. Enumerable.Range(0, 33).Select(i => 2 * Math.PI * i / 32).Select(a => (cx + rx * Math.Sin(a), cy - ry * Math.Cos(a)))]];

        public static (double X, double Y)[] Line((double X, double Y) from, (double X, double Y) to) => [from, to];

        public static (double X, double Y)[] Polygon((double X, double Y)[] corners) => [.. corners, corners[0]];
    }
}
