using Microsoft.Playwright;

namespace GpuConvNet.Web.Tests.Infrastructure;

/// <summary>A served checkpoint and a headless Debian Chromium driven by Playwright, for one test class.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private BrowserSession(RunningServer server, IPlaywright playwright, IBrowser browser)
    {
        Server = server;
        Playwright = playwright;
        Browser = browser;
    }

    /// <summary>The server.</summary>
    public RunningServer Server { get; }

    /// <summary>Playwright.</summary>
    public IPlaywright Playwright { get; }

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; }

    /// <summary>Serves <paramref name="checkpoint"/> (a function: the browser is looked for first) and starts Chromium.</summary>
    public static async Task<BrowserSession> Start(Func<string> checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        // Playwright's 5 s for a page to reach a state was once too short for a round trip to the server in a full CI
        // run on 2 cores (a blank pad's error, which passed alone three times in a row); a real failure still fails.
        Assertions.SetDefaultExpectTimeout(20_000);
        string chromium = WebTestEnvironment.Chromium;
        var server = await RunningServer.Start(checkpoint());
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });
        return new BrowserSession(server, playwright, browser);
    }

    /// <summary>A new 1000×800 page on the server's address, once the script is ready.</summary>
    public async Task<IPage> Open()
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 800 } });
        await page.GotoAsync(Server.Address.ToString());
        await Assertions.Expect(page.Locator("body[data-state=ready]")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>A stroke through <paramref name="points"/> (fractions of the pad), with mouse events as a user's hand makes them.</summary>
    public static async Task Draw(IPage page, (double X, double Y)[] points, int steps = 8)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(points);
        var box = (await page.Locator("#pad").BoundingBoxAsync())!;
        (float, float) At((double X, double Y) p) => ((float)(box.X + p.X * box.Width), (float)(box.Y + p.Y * box.Height));
        var (x0, y0) = At(points[0]);
        await page.Mouse.MoveAsync(x0, y0);
        await page.Mouse.DownAsync();
        foreach (var p in points.Skip(1))
        {
            var (x, y) = At(p);
            await page.Mouse.MoveAsync(x, y, new MouseMoveOptions { Steps = steps });
        }
        await page.Mouse.UpAsync();
    }

    /// <summary>
    /// A stroke through <paramref name="points"/> (fractions of the pad) with a finger: touch events through the
    /// DevTools protocol, as a phone's screen sends them (the page gets pointer events of type "touch").
    /// </summary>
    public static async Task Touch(IPage page, (double X, double Y)[] points, int steps = 8)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(points);
        var box = (await page.Locator("#pad").BoundingBoxAsync())!;
        var devTools = await page.Context.NewCDPSessionAsync(page);
        Dictionary<string, object> Event(string type, params (double X, double Y)[] at) => new()
        {
            ["type"] = type,
            ["touchPoints"] = at.Select(p => new Dictionary<string, object> { ["x"] = box.X + p.X * box.Width, ["y"] = box.Y + p.Y * box.Height }).ToArray(),
        };
        await devTools.SendAsync("Input.dispatchTouchEvent", Event("touchStart", points[0]));
        for (int i = 1; i < points.Length; i++)
        {
            for (int step = 1; step <= steps; step++)
            {
                double t = (double)step / steps;
                var (a, b) = (points[i - 1], points[i]);
                await devTools.SendAsync("Input.dispatchTouchEvent", Event("touchMove", (a.X + t * (b.X - a.X), a.Y + t * (b.Y - a.Y))));
            }
        }
        await devTools.SendAsync("Input.dispatchTouchEvent", Event("touchEnd"));
        await devTools.DetachAsync();
    }

    /// <summary>Closes the browser and stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        Playwright.Dispose();
        await Server.DisposeAsync();
    }
}
