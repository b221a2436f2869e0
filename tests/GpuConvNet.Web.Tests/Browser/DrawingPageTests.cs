using GpuConvNet.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace GpuConvNet.Web.Tests.Browser;

/// <summary>
/// The drawing page in a real Chromium driven by Playwright: strokes drawn with mouse events are predicted live, an
/// opened file is predicted, a blank pad gets the server's error, the buttons work from the keyboard, and the page
/// fits a phone. Set GPUCONVNET_SCREENSHOT=path.png to keep a screenshot of the page after a drawn digit.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class DrawingPageTests
{
    private static RunningServer server = null!;
    private static IPlaywright playwright = null!;
    private static IBrowser browser = null!;

    [ClassInitialize]
    public static async Task Start(TestContext context)
    {
        string chromium = WebTestEnvironment.Chromium;
        server = await RunningServer.Start(TrainedModel.Checkpoint);
        playwright = await Playwright.CreateAsync();
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    [ClassCleanup]
    public static async Task Stop()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }
        playwright?.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task DrawingAOne_WithTheMouse_IsPredictedLive_AndShowsWhatTheModelSaw()
    {
        var page = await Open();

        await Draw(page, [(0.52, 0.12), (0.50, 0.50), (0.48, 0.88)]);

        await Expect(page.Locator("body[data-state=predicted]")).ToBeVisibleAsync();
        Assert.AreEqual("1", await page.Locator("#top-digit").TextContentAsync());
        Assert.AreEqual(10, await page.Locator("#bars li").CountAsync(), "ten bars");
        StringAssert.StartsWith(await page.Locator("#bars li.best").GetAttributeAsync("aria-label"), "1: ");
        Assert.IsGreaterThan(20, await LitPixels(page), "the 28×28 field is drawn, light ink on black");
        if (Environment.GetEnvironmentVariable("GPUCONVNET_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        }
    }

    [TestMethod]
    public async Task DrawingAZero_ThenClearing_StartsOver()
    {
        var page = await Open();
        var ring = Enumerable.Range(0, 25).Select(i => 2 * Math.PI * i / 24).Select(a => (0.5 + 0.27 * Math.Sin(a), 0.5 - 0.36 * Math.Cos(a))).ToArray();

        await Draw(page, ring);

        await Expect(page.Locator("body[data-state=predicted]")).ToBeVisibleAsync();
        Assert.AreEqual("0", await page.Locator("#top-digit").TextContentAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "Clear" }).ClickAsync();

        await Expect(page.Locator("body[data-state=clear]")).ToBeVisibleAsync();
        Assert.AreEqual("–", await page.Locator("#top-digit").TextContentAsync());
        Assert.AreEqual(0, await page.Locator("#bars li").CountAsync());
    }

    [TestMethod]
    public async Task OpeningAnImageFile_PredictsIt()
    {
        var page = await Open();
        int index = 7;

        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "digit.png", MimeType = "image/png", Buffer = DigitPictures.Png(index) });

        await Expect(page.Locator("body[data-state=predicted]")).ToBeVisibleAsync();
        Assert.AreEqual(DigitPictures.Label(index).ToString(System.Globalization.CultureInfo.InvariantCulture), await page.Locator("#top-digit").TextContentAsync());
    }

    [TestMethod]
    public async Task PredictingABlankPad_ShowsTheServersError()
    {
        var page = await Open();

        await page.GetByRole(AriaRole.Button, new() { Name = "Predict" }).ClickAsync();

        await Expect(page.Locator("body[data-state=error]")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("no digit found");
        Assert.AreEqual("–", await page.Locator("#top-digit").TextContentAsync());
    }

    [TestMethod]
    public async Task Buttons_WorkFromTheKeyboard_AndThePageNamesItsParts()
    {
        var page = await Open();
        await Expect(page.Locator("#model")).ToContainTextAsync("lenet5");
        await Expect(page.Locator("#model")).ToContainTextAsync(server.Service.Description.Device);

        await page.GetByRole(AriaRole.Button, new() { Name = "Predict" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("body[data-state=error]")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("body[data-state=clear]")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Drawing pad" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Open an image…")).ToBeAttachedAsync();
    }

    [TestMethod]
    public async Task OnAPhone_ThePadFitsTheScreen_AndDrawingWorks()
    {
        await using var phone = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 3,
            IsMobile = true,
            HasTouch = true,
        });
        var page = await phone.NewPageAsync();
        await page.GotoAsync(server.Address.ToString());

        var box = (await page.Locator("#pad").BoundingBoxAsync())!;
        Assert.IsLessThanOrEqualTo(390f, box.X + box.Width, "the pad is within the screen's width");
        Assert.IsGreaterThan(250f, box.Width, "and large enough to draw on");
        await Draw(page, [(0.52, 0.12), (0.50, 0.50), (0.48, 0.88)]);
        await Expect(page.Locator("body[data-state=predicted]")).ToBeVisibleAsync();
    }

    private static async Task<IPage> Open()
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 800 } });
        await page.GotoAsync(server.Address.ToString());
        await Expect(page.Locator("body[data-state=ready]")).ToBeVisibleAsync();
        return page;
    }

    // A stroke through the points (fractions of the pad), with mouse events as a user's hand makes them.
    private static async Task Draw(IPage page, (double X, double Y)[] points)
    {
        var box = (await page.Locator("#pad").BoundingBoxAsync())!;
        (float, float) At((double X, double Y) p) => ((float)(box.X + p.X * box.Width), (float)(box.Y + p.Y * box.Height));
        var (x0, y0) = At(points[0]);
        await page.Mouse.MoveAsync(x0, y0);
        await page.Mouse.DownAsync();
        foreach (var p in points.Skip(1))
        {
            var (x, y) = At(p);
            await page.Mouse.MoveAsync(x, y, new MouseMoveOptions { Steps = 8 });
        }
        await page.Mouse.UpAsync();
    }

    private static async Task<int> LitPixels(IPage page) => await page.EvaluateAsync<int>(
        "() => { const d = document.getElementById('seen').getContext('2d').getImageData(0, 0, 28, 28).data; let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] > 128) n++; return n; }");

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
