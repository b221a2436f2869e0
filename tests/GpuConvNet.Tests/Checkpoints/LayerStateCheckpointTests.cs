using GpuConvNet.Checkpoints;
using GpuConvNet.Compute;
using GpuConvNet.Nn;
using GpuConvNet.Nn.Layers;
using GpuConvNet.Tests.Data;
using GpuConvNet.Tests.Infrastructure;

namespace GpuConvNet.Tests.Checkpoints;

/// <summary>
/// What a layer keeps besides its parameters — its states and counters — goes into checkpoints under the names the
/// layer gives them and comes back on load, for a layer the checkpoint code has never heard of.
/// </summary>
[TestClass]
public sealed class LayerStateCheckpointTests
{
    [TestMethod]
    public void ALayersOwnStateAndCounter_AreSavedUnderItsNames_AndLoadedBack()
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        string path = dir.File("counting.safetensors");
        using var model = CountingModel(cpu);
        var counting = (ForwardCounter)model.Layers[0];
        using var input = cpu.Allocate(new float[2 * 4]);
        for (int step = 0; step < 3; step++)
        {
            model.Forward(input.View, 2, new StepContext(true, 1, step));
        }
        counting.Marks.CopyFromHost([1f, 2f, 3f, 4f]);

        ModelCheckpoint.Save(path, model, new Dictionary<string, string>());

        var file = SafeTensors.Read(path);
        Assert.AreEqual(3L, file.ReadInt64Scalar("count1.forwards"));
        CollectionAssert.AreEqual(new[] { 1f, 2f, 3f, 4f }, file.ReadFloats("count1.marks"));
        using var fresh = CountingModel(cpu);
        ModelCheckpoint.Load(path, fresh);
        var loaded = (ForwardCounter)fresh.Layers[0];
        Assert.AreEqual(3L, loaded.Counters[0].Value);
        CollectionAssert.AreEqual(new[] { 1f, 2f, 3f, 4f }, loaded.Marks.ToArray());
    }

    [TestMethod]
    public void ACheckpointWithoutTheCounter_LoadsWithItAtZero_ButOneWithoutTheState_IsRefused()
    {
        var cpu = Backends.Get("cpu");
        using var dir = new TempDirectory();
        using var model = CountingModel(cpu);
        var parameters = model.Parameters.Select(p => new CheckpointTensor(p.Name, p.Shape, p.Value.ToArray())).ToList();
        var marks = new CheckpointTensor("count1.marks", [4], new float[4]);
        string withoutCounter = dir.File("no-counter.safetensors");
        SafeTensors.Save(withoutCounter, new Checkpoint([.. parameters, marks]));
        string withoutState = dir.File("no-state.safetensors");
        SafeTensors.Save(withoutState, new Checkpoint(parameters));
        ((ForwardCounter)model.Layers[0]).Counters[0].Value = 7;

        ModelCheckpoint.Load(withoutCounter, model);

        Assert.AreEqual(0L, model.Layers[0].Counters[0].Value);
        var error = Assert.ThrowsExactly<UserInputException>(() => ModelCheckpoint.Load(withoutState, model));
        StringAssert.Contains(error.Message, "missing count1.marks");
    }

    private static Model CountingModel(Accelerator accelerator)
    {
        var model = new Model("counting", new Shape(4), [new ForwardCounter(), new Dense(2)], LossKind.SoftmaxCrossEntropy);
        model.Build(accelerator, maxBatch: 2, seed: 1);
        return model;
    }

    /// <summary>Passes its input on, counting training forwards, and keeps four floats of state.</summary>
    private sealed class ForwardCounter : Layer
    {
        private LayerCounter[] counters = [];
        private LayerState[] states = [];

        public MemoryBuffer<float> Marks { get; private set; } = null!;

        public override string NamePrefix => "count";

        public override IReadOnlyList<LayerCounter> Counters => counters;

        public override IReadOnlyList<LayerState> States => states;

        public override string Describe() => "ForwardCounter";

        protected override Shape BuildCore(Shape input, Random initialisation)
        {
            Marks = AddFixedBuffer(4, 0f);
            states = [new LayerState($"{Name}.marks", [4], Marks)];
            counters = [new LayerCounter($"{Name}.forwards")];
            return input;
        }

        public override ArrayView<float> Forward(ArrayView<float> x, int batch, StepContext step)
        {
            if (step.Training)
            {
                counters[0].Value++;
            }
            return x;
        }

        public override double[] ReferenceForward(float[] x, int batch) => Array.ConvertAll(x, v => (double)v);

        public override ArrayView<float> Backward(ArrayView<float> dy, int batch, bool needInputGradient) => dy;
    }
}
