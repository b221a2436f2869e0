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
    private static BrowserSession session = null!;

    [ClassInitialize]
    public static async Task Start(TestContext context) => session = await BrowserSession.Start(() => TrainedModel.Checkpoint);

    [ClassCleanup]
    public static async Task Stop()
    {
        if (session is not null)
        {
            await session.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task DrawingAOne_WithTheMouse_IsPredictedLive_AndShowsWhatTheModelSaw()
    {
        var page = await session.Open();

        await BrowserSession.Draw(page, [(0.52, 0.12), (0.50, 0.50), (0.48, 0.88)]);

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
        var page = await session.Open();
        var ring = Enumerable.Range(0, 25).Select(i => 2 * Math.PI * i / 24).Select(a => (0.5 + 0.27 * Math.Sin(a), 0.5 - 0.36 * Math.Cos(a))).ToArray();

        await BrowserSession.Draw(page, ring);

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
        var page = await session.Open();
        int index = 7;

        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "digit.png", MimeType = "image/png", Buffer = DigitPictures.Png(index) });

        await Expect(page.Locator("body[data-state=predicted]")).ToBeVisibleAsync();
        Assert.AreEqual(DigitPictures.Label(index).ToString(System.Globalization.CultureInfo.InvariantCulture), await page.Locator("#top-digit").TextContentAsync());
    }

    [TestMethod]
    public async Task PredictingABlankPad_ShowsTheServersError()
    {
        var page = await session.Open();

        await page.GetByRole(AriaRole.Button, new() { Name = "Predict" }).ClickAsync();

        await Expect(page.Locator("body[data-state=error]")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("no digit found");
        Assert.AreEqual("–", await page.Locator("#top-digit").TextContentAsync());
    }

    [TestMethod]
    public async Task Buttons_WorkFromTheKeyboard_AndThePageNamesItsParts()
    {
        var page = await session.Open();
        await Expect(page.Locator("#model")).ToContainTextAsync("lenet5");
        await Expect(page.Locator("#model")).ToContainTextAsync(session.Server.Service.Description.Device);

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
        await using var phone = await session.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 3,
            IsMobile = true,
            HasTouch = true,
        });
        var page = await phone.NewPageAsync();
        await page.GotoAsync(session.Server.Address.ToString());

        var box = (await page.Locator("#pad").BoundingBoxAsync())!;
        Assert.IsLessThanOrEqualTo(390f, box.X + box.Width, "the pad is within the screen's width");
        Assert.IsGreaterThan(250f, box.Width, "and large enough to draw on");
        await BrowserSession.Draw(page, [(0.52, 0.12), (0.50, 0.50), (0.48, 0.88)]);
        await Expect(page.Locator("body[data-state=predicted]")).ToBeVisibleAsync();
    }

    private static async Task<int> LitPixels(IPage page) => await page.EvaluateAsync<int>(
        "() => { const d = document.getElementById('seen').getContext('2d').getImageData(0, 0, 28, 28).data; let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] > 128) n++; return n; }");

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
