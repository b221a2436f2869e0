using GpuConvNet.Cli;

namespace GpuConvNet.Tests.Cli;

/// <summary>Ctrl+C during a run: the first press stops after the batch, the second ends the process.</summary>
[TestClass]
public sealed class StopRequestsTests
{
    [TestMethod]
    public void FirstPress_StopsTheRunAndKeepsTheProcess_SecondPress_LetsTheProcessEnd()
    {
        using var stop = new StopRequests();
        Assert.IsFalse(stop.Token.IsCancellationRequested);

        Assert.IsTrue(stop.Press(), "the first press keeps the process (the run stops after the batch)");
        Assert.IsTrue(stop.Token.IsCancellationRequested, "and asks the run to stop");
        Assert.IsFalse(stop.Press(), "the second press lets the runtime end the process at once");
        Assert.IsFalse(stop.Press(), "and so does every later one");
    }
}
