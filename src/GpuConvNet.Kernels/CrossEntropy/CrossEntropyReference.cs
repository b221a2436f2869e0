namespace GpuConvNet.Kernels;

/// <summary>The float64 references of <see cref="CrossEntropy"/>: the mean loss and its gradient with respect to the logits.</summary>
public static class CrossEntropyReference
{
    /// <summary>Mean over rows of logsumexp(row) − row[label].</summary>
    public static double Loss(ReadOnlySpan<double> logits, ReadOnlySpan<int> labels, int rows, int classes)
    {
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = logits.Slice(r * classes, classes);
            total += SoftmaxReference.LogSumExp(row) - row[labels[r]];
        }
        return total / rows;
    }

    /// <summary>(softmax(logits) − onehot(labels)) / rows.</summary>
    public static double[] Backward(ReadOnlySpan<double> logits, ReadOnlySpan<int> labels, int rows, int classes)
    {
        var dx = SoftmaxReference.Forward(logits, rows, classes);
        for (int r = 0; r < rows; r++)
        {
            dx[r * classes + labels[r]] -= 1;
            for (int c = 0; c < classes; c++)
            {
                dx[r * classes + c] /= rows;
            }
        }
        return dx;
    }
}
