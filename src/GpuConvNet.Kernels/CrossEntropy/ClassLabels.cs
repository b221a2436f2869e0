using System.Globalization;
using GpuConvNet.Compute;

namespace GpuConvNet.Kernels;

/// <summary>
/// Integer class labels on the device, checked against their class count when they are copied there. Labels live on
/// the device, where an op cannot afford to read them back before each launch, so the check happens at the one place
/// they cross from the host: <see cref="Upload"/> and <see cref="CopyFromHost"/> throw an <see cref="ArgumentException"/>
/// for any label outside 0…classes−1, and the cross-entropy ops take only this type. (The kernels are robust anyway:
/// a bad label that reached the device some other way gives a NaN loss and NaN gradient row, never an out-of-bounds read.)
/// </summary>
public sealed class ClassLabels : IDisposable
{
    // Null for a prefix made by Take, which shares its parent's memory.
    private readonly MemoryBuffer<int>? buffer;

    private ClassLabels(MemoryBuffer<int>? buffer, ArrayView<int> view, int classes)
    {
        this.buffer = buffer;
        View = view;
        Classes = classes;
    }

    /// <summary>The number of classes every label is below.</summary>
    public int Classes { get; }

    /// <summary>The number of labels (rows of the logits they go with).</summary>
    public int Count => View.Length;

    /// <summary>The labels on the device, one per row.</summary>
    public ArrayView<int> View { get; }

    /// <summary>
    /// A buffer of <paramref name="count"/> labels that only device code fills, by copying from labels that were
    /// themselves validated — e.g. a training batch gathered from a dataset's <see cref="ClassLabels"/>. Copies of valid
    /// labels are valid, so the guarantee holds without reading them back.
    /// </summary>
    public static ClassLabels ForDeviceCopies(Accelerator accelerator, int count, int classes)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ShapeCheck.Positive("ClassLabels", ("classes", classes), ("label count", count));
        var buffer = accelerator.Allocate<int>(count);
        buffer.Fill(0);
        return new ClassLabels(buffer, buffer.View, classes);
    }

    /// <summary>The first <paramref name="count"/> labels (a partial last batch), sharing this memory; disposing it frees nothing.</summary>
    public ClassLabels Take(int count)
    {
        if (count < 1 || count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"ClassLabels: cannot take {count} of {Count} labels");
        }
        return new ClassLabels(null, View.SubView(0, count), Classes);
    }

    /// <summary>Checks <paramref name="labels"/> against <paramref name="classes"/>, then copies them to a new device buffer.</summary>
    public static ClassLabels Upload(Accelerator accelerator, ReadOnlySpan<int> labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        const string op = "ClassLabels";
        ShapeCheck.Positive(op, ("classes", classes), ("label count", labels.Length));
        Validate(op, labels, classes);
        var buffer = accelerator.Allocate(labels);
        return new ClassLabels(buffer, buffer.View, classes);
    }

    /// <summary>Replaces the labels (same count) after checking them: for reusing one buffer across batches.</summary>
    public void CopyFromHost(ReadOnlySpan<int> labels)
    {
        const string op = "ClassLabels";
        ShapeCheck.Length(op, "labels", labels.Length, Count, $"this buffer of {Count} labels");
        Validate(op, labels, Classes);
        if (buffer is null)
        {
            throw new InvalidOperationException($"{op}: a prefix made by Take cannot be refilled; refill the labels it was taken from");
        }
        buffer.CopyFromHost(labels);
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="op"/>, the first bad label and its position.</summary>
    public static void Validate(string op, ReadOnlySpan<int> labels, int classes)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{op}: label {labels[i]} at position {i} is outside the classes 0…{classes - 1}"));
            }
        }
    }

    /// <summary>Frees the device buffer.</summary>
    public void Dispose() => buffer?.Dispose();
}
