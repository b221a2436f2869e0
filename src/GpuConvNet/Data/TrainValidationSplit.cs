namespace GpuConvNet.Data;

/// <summary>
/// A seeded partition of a training set's indices into the part that is trained on and a held-out validation part.
/// Both arrays are sorted; together they hold every index exactly once.
/// </summary>
/// <param name="Train">Indices to train on, ascending.</param>
/// <param name="Validation">Held-out indices, ascending.</param>
public sealed record TrainValidationSplit(int[] Train, int[] Validation)
{
    /// <summary>The default share of the training set held out for validation.</summary>
    public const double DefaultValidationFraction = 0.1;

    /// <summary>
    /// Splits indices 0..<paramref name="count"/>−1: round(<paramref name="validationFraction"/> × count) of them,
    /// drawn by a shuffle seeded with <paramref name="seed"/>, go to validation. The same arguments always give the
    /// same split.
    /// </summary>
    /// <exception cref="UserInputException">The fraction is outside [0, 1), or leaves nothing to train on.</exception>
    public static TrainValidationSplit Create(int count, double validationFraction = DefaultValidationFraction, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!(validationFraction >= 0 && validationFraction < 1))
        {
            throw new UserInputException($"the validation fraction must be at least 0 and below 1 (got {validationFraction}); use e.g. 0.1 to hold out 10 % of the training set");
        }
        int validationCount = (int)Math.Round(validationFraction * count, MidpointRounding.AwayFromZero);
        if (count > 0 && validationCount == count)
        {
            throw new UserInputException($"a validation fraction of {validationFraction} leaves none of the {count} training images to train on; use a smaller fraction such as 0.1");
        }
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }
        // System.Random with an explicit seed yields the same sequence on every platform, so a seed names a split.
        new Random(seed).Shuffle(order);
        var validation = order[..validationCount];
        var train = order[validationCount..];
        Array.Sort(validation);
        Array.Sort(train);
        return new TrainValidationSplit(train, validation);
    }
}
