namespace GpuConvNet.Compute.Generator;

internal enum VariableKind
{
    /// <summary>A scalar local or parameter.</summary>
    Scalar,

    /// <summary>An ArrayView: a pointer and a length variable.</summary>
    View,

    /// <summary>A private array (Span = stackalloc) of constant length.</summary>
    PrivateArray,

    /// <summary>The index parameter of an auto-grouped kernel: one int per dimension.</summary>
    Index,

    /// <summary>A SpecializedValue kernel parameter: a placeholder the engine replaces with the value's literal.</summary>
    Specialized,

    /// <summary>An ArrayView2D or ArrayView3D (a parameter, a shared tile, a sub-view): a pointer and its <see cref="Variable.Layout"/>.</summary>
    StridedView,
}

/// <summary>How a C# local or parameter lives in C.</summary>
internal sealed class Variable
{
    public Variable(VariableKind kind, string name, string length = "", AddressSpace space = AddressSpace.Global)
    {
        Kind = kind;
        Name = name;
        Length = length;
        Space = space;
    }

    public VariableKind Kind { get; }

    /// <summary>The C name (of the pointer, for views; the prefix of the _x/_y/_z ints, for indices).</summary>
    public string Name { get; }

    /// <summary>A C expression for the length of a view or private array.</summary>
    public string Length { get; }

    /// <summary>A 2-D or 3-D view's extent and strides (<see cref="VariableKind.StridedView"/> only).</summary>
    public StridedLayout? Layout { get; init; }

    public AddressSpace Space { get; }
}
