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
        await using var phone = await NewPhoneContextAsync();
        var page = await phone.NewPageAsync();
        await page.GotoAsync(session.Server.Address.ToString());

        var box = (await page.Locator("#pad").BoundingBoxAsync())!;
        Assert.IsLessThanOrEqualTo(390f, box.X + box.Width, "the pad is within the screen's width");
        Assert.IsGreaterThan(250f, box.Width, "and large enough to draw on");
        await BrowserSession.Draw(page, [(0.52, 0.12), (0.50, 0.50), (0.48, 0.88)]);
        await Expect(page.Locator("body[data-state=predicted]")).ToBeVisibleAsync();
    }

    [TestMethod]
    public async Task AfterAnError_TheEarlierAnswerIsGone_NotLeftAsIfTheBadInputWereClassified()
    {
        var page = await session.Open();
        await BrowserSession.Draw(page, [(0.52, 0.12), (0.50, 0.50), (0.48, 0.88)]);
        await Expect(page.Locator("body[data-state=predicted]")).ToBeVisibleAsync();

        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "notes.png", MimeType = "image/png", Buffer = "not a picture"u8.ToArray() });

        await Expect(page.Locator("body[data-state=error]")).ToBeVisibleAsync();
        Assert.AreEqual(0, await page.Locator("#bars li").CountAsync(), "no bars of the earlier drawing");
        Assert.AreEqual(0, await LitPixels(page), "no preview of the earlier drawing");
        Assert.AreEqual("", await page.Locator("#timing").TextContentAsync());
        Assert.AreEqual("–", await page.Locator("#top-digit").TextContentAsync());
    }

    [TestMethod]
    public async Task WhenTheServerCannotBeReached_ThePageSaysWhatToDo()
    {
        var page = await session.Open();
        await page.RouteAsync(url => url.Contains("/api/predict", StringComparison.Ordinal), route => route.AbortAsync("connectionrefused"));

        await BrowserSession.Draw(page, [(0.52, 0.12), (0.50, 0.50), (0.48, 0.88)]);

        await Expect(page.Locator("body[data-state=error]")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Is 'gpuconvnet serve' still running? Start it again in a terminal, then press Predict.");
    }

    [TestMethod]
    public async Task Undo_WithCtrlZOrTheButton_TakesBackTheLastStroke()
    {
        var page = await session.Open();
        await BrowserSession.Draw(page, [(0.52, 0.12), (0.50, 0.50), (0.48, 0.88)]);
        await Expect(page.Locator("body[data-state=predicted]")).ToBeVisibleAsync();
        string one = await Pad(page);

        await BrowserSession.Draw(page, [(0.2, 0.15), (0.8, 0.15)]);
        await Expect(page.Locator("body[data-state=predicted]")).ToBeVisibleAsync();
        Assert.AreNotEqual(one, await Pad(page));
        await page.Keyboard.PressAsync("Control+z");

        await Expect(page.Locator("body[data-state=predicted]")).ToBeVisibleAsync();
        Assert.AreEqual(one, await Pad(page), "the pad is as before the second stroke");
        await Expect(page.Locator("#top-digit")).ToHaveTextAsync("1");

        await page.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();

        await Expect(page.Locator("body[data-state=clear]")).ToBeVisibleAsync();
        Assert.AreEqual(0, await page.Locator("#bars li").CountAsync());
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Undo" })).ToBeDisabledAsync();
    }

    [TestMethod]
    public async Task ASmallOrOffCentreDrawing_GetsAWarning_ALargeCentredOneDoesNot()
    {
        var page = await session.Open();

        await BrowserSession.Draw(page, [(0.08, 0.08), (0.2, 0.08), (0.12, 0.14), (0.2, 0.2), (0.08, 0.22)]);

        await Expect(page.Locator("body[data-state=predicted]")).ToBeVisibleAsync();
        await Expect(page.Locator("#advice")).ToBeVisibleAsync();
        await Expect(page.Locator("#advice")).ToContainTextAsync("Your drawing is small and off-centre");

        await page.GetByRole(AriaRole.Button, new() { Name = "Clear" }).ClickAsync();
        await BrowserSession.Draw(page, [(0.52, 0.12), (0.50, 0.50), (0.48, 0.88)]);

        await Expect(page.Locator("body[data-state=predicted]")).ToBeVisibleAsync();
        await Expect(page.Locator("#advice")).ToBeHiddenAsync();
    }

    [TestMethod]
    public async Task OnAPhone_DrawnWithAFinger_TheAnswerIsOnScreen_AndTheButtonsAreFingerSized()
    {
        await using var phone = await NewPhoneContextAsync();
        var page = await phone.NewPageAsync();
        await page.GotoAsync(session.Server.Address.ToString());
        await Expect(page.Locator("body[data-state=ready]")).ToBeVisibleAsync();

        await BrowserSession.Touch(page, [(0.52, 0.12), (0.50, 0.50), (0.48, 0.88)]);

        await Expect(page.Locator("body[data-state=predicted]")).ToBeVisibleAsync();
        await Expect(page.Locator("#top-digit")).ToHaveTextAsync("1");
        foreach (var part in new[] { "#top-digit", "#bars li >> nth=9", "#seen" })
        {
            var box = (await page.Locator(part).BoundingBoxAsync())!;
            Assert.IsLessThanOrEqualTo(844f, box.Y + box.Height, $"{part} is on the first screen, without scrolling");
        }
        foreach (var button in await page.Locator("button, label.file").AllAsync())
        {
            var box = (await button.BoundingBoxAsync())!;
            Assert.IsGreaterThanOrEqualTo(44f, box.Height, $"{await button.TextContentAsync()} is at least 44 px tall");
        }
    }

    [TestMethod]
    public async Task InDarkMode_TheTextHasAtLeast4Point5To1Contrast()
    {
        await using var dark = await session.Browser.NewContextAsync(new BrowserNewContextOptions { ColorScheme = ColorScheme.Dark, ViewportSize = new ViewportSize { Width = 1000, Height = 800 } });
        var page = await dark.NewPageAsync();
        await page.GotoAsync(session.Server.Address.ToString());
        await BrowserSession.Draw(page, [(0.52, 0.12), (0.50, 0.50), (0.48, 0.88)]);
        await Expect(page.Locator("body[data-state=predicted]")).ToBeVisibleAsync();

        foreach (var part in new[] { "#model", ".hint", "#top-probability", "figcaption", "#timing", "h1" })
        {
            double contrast = await page.EvaluateAsync<double>("""
                selector => {
                  const rgb = c => c.match(/[\d.]+/g).slice(0, 3).map(Number);
                  const luminance = ([r, g, b]) => [r, g, b].map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
                    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
                  const text = luminance(rgb(getComputedStyle(document.querySelector(selector)).color));
                  const background = luminance(rgb(getComputedStyle(document.body).backgroundColor));
                  return (Math.max(text, background) + 0.05) / (Math.min(text, background) + 0.05);
                }
                """, part);
            Assert.IsGreaterThanOrEqualTo(4.5, contrast, $"{part}: {contrast:F2}:1");
        }
    }

    private static Task<string> Pad(IPage page) => page.EvaluateAsync<string>("() => document.getElementById('pad').toDataURL()");

    private static async Task<int> LitPixels(IPage page) => await page.EvaluateAsync<int>(
        "() => { const d = document.getElementById('seen').getContext('2d').getImageData(0, 0, 28, 28).data; let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] > 128) n++; return n; }");

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    // A phone-sized touch screen (390×844 CSS pixels at 3×), as the phone tests use it.
    private static Task<IBrowserContext> NewPhoneContextAsync() => session.Browser.NewContextAsync(new BrowserNewContextOptions
    {
        ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        DeviceScaleFactor = 3,
        IsMobile = true,
        HasTouch = true,
    });
}
