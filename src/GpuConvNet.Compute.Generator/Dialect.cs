using System;
using System.Globalization;
using Microsoft.CodeAnalysis;

namespace GpuConvNet.Compute.Generator;

/// <summary>Where a pointer points: OpenCL 1.2 has no generic address space, so every pointer says.</summary>
internal enum AddressSpace
{
    Global,
    Local,
}

/// <summary>Everything that differs between OpenCL C 1.2 and CUDA C: the translator asks, never branches itself.</summary>
internal abstract partial class Dialect
{
    public static readonly Dialect OpenCL = new OpenCLDialect();
    public static readonly Dialect Cuda = new CudaDialect();

    /// <summary>Every dialect the generator writes; each kernel registers one source per dialect.</summary>
    public static readonly Dialect[] All = { OpenCL, Cuda };

    public abstract string Name { get; }

    /// <summary>The key of this dialect's source in KernelDefinition.Sources (KernelDialects in the runtime).</summary>
    public abstract string Key { get; }

    /// <summary>Qualifier of a kernel entry point.</summary>
    public abstract string KernelQualifier { get; }

    /// <summary>Qualifier of a device function.</summary>
    public abstract string FunctionQualifier { get; }

    /// <summary>
    /// Qualifier of the lane function of an indexed kernel, or null where indexed kernels are emitted as one entry
    /// point only. Where set, the program also has an entry point whose lanes loop over blocks of indices (for CPUs).
    /// </summary>
    public abstract string? LaneFunctionQualifier { get; }

    public abstract string Pointer(AddressSpace space, string elementType);

    /// <summary>A group-shared array; <paramref name="length"/> is a C constant expression.</summary>
    public abstract string SharedArray(string elementType, string name, string length);

    public abstract string Barrier { get; }

    /// <summary>
    /// True where warps shuffle in registers (CUDA's <c>__shfl_*_sync</c>); elsewhere (OpenCL 1.2) through shared slots
    /// between barriers. Asked of a real dialect, inside <see cref="DeferredDialect.Defer"/>.
    /// </summary>
    public virtual bool HasWarpShuffles => false;

    /// <summary>Waits for the lanes of the warp (a group barrier where warps have no barrier of their own).</summary>
    public virtual string WarpBarrier => Barrier;

    /// <summary>
    /// The program's first lines on floating-point contraction (fusing a * b + c): OpenCL says it in the source;
    /// CUDA's is NVRTC's --fmad option, which the engine sets from KernelDefinition.AllowContraction.
    /// </summary>
    public abstract string ContractionPragma(bool allow);

    /// <summary>The lane's global, local, group index or size in dimension 0..2.</summary>
    public abstract string Builtin(BuiltinIndex kind, int dimension);

    public abstract string TypeName(SpecialType type);

    public abstract string LongSuffix { get; }

    public abstract string FloatInfinity { get; }

    public abstract string FloatNaN { get; }

    /// <summary>The C function for a float intrinsic such as <c>exp</c> (CUDA appends f).</summary>
    public abstract string FloatFunction(string name);

    /// <summary>
    /// The C function of <c>Atomic.&lt;operation&gt;</c> on <paramref name="type"/> at a pointer into
    /// <paramref name="space"/> (it may add a helper), or null where the dialect has none. Called as
    /// <c>f(&amp;target, value)</c>, or <c>f(&amp;target, compare, value)</c> for CompareExchange.
    /// </summary>
    public string? Atomic(string operation, SpecialType type, AddressSpace space, HelperSet helpers)
    {
        bool integer = type is SpecialType.System_Int32 or SpecialType.System_UInt32;
        bool single = type == SpecialType.System_Single;
        return operation switch
        {
            "Add" when integer => AtomicNames[0],
            "Add" when single => FloatAtomicAdd(space, helpers),
            "Max" or "Min" or "And" or "Or" or "Xor" or "CompareExchange" when integer => AtomicNames[Array.IndexOf(AtomicOperations, operation)],
            "Exchange" when integer || single => AtomicNames[Array.IndexOf(AtomicOperations, operation)],
            _ => null,
        };
    }

    private static readonly string[] AtomicOperations = { "Add", "Max", "Min", "And", "Or", "Xor", "Exchange", "CompareExchange" };

    /// <summary>The dialect's 32-bit atomic functions, in the order of <see cref="AtomicOperations"/>.</summary>
    public abstract string[] AtomicNames { get; }

    /// <summary>Atomic add of a float at a pointer into <paramref name="space"/>; may use a helper.</summary>
    public abstract string FloatAtomicAdd(AddressSpace space, HelperSet helpers);

    public string Literal(object value, SpecialType type)
    {
        switch (type)
        {
            case SpecialType.System_Single:
                float f = Convert.ToSingle(value, CultureInfo.InvariantCulture);
                if (float.IsNaN(f))
                {
                    return FloatNaN;
                }
                if (float.IsInfinity(f))
                {
                    return f > 0 ? FloatInfinity : "(-" + FloatInfinity + ")";
                }
                string text = f.ToString("R", CultureInfo.InvariantCulture);
                if (text.IndexOfAny(new[] { '.', 'E', 'e' }) < 0)
                {
                    text += ".0";
                }
                return (f < 0 ? "(" + text + "f)" : text + "f");
            case SpecialType.System_Boolean:
                return (bool)value ? "true" : "false";
            case SpecialType.System_UInt32:
                return Convert.ToUInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "u";
            case SpecialType.System_Int64:
                long l = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                return l == long.MinValue ? "(-9223372036854775807" + LongSuffix + " - 1" + LongSuffix + ")"
                    : l < 0 ? "(" + l.ToString(CultureInfo.InvariantCulture) + LongSuffix + ")"
                    : l.ToString(CultureInfo.InvariantCulture) + LongSuffix;
            case SpecialType.System_UInt64:
                return Convert.ToUInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "u" + LongSuffix;
            case SpecialType.System_Int32:
                int i = Convert.ToInt32(value, CultureInfo.InvariantCulture);
                return i == int.MinValue ? "(-2147483647 - 1)"
                    : i < 0 ? "(" + i.ToString(CultureInfo.InvariantCulture) + ")"
                    : i.ToString(CultureInfo.InvariantCulture);
            default:
                // byte, sbyte, short, ushort, char: an int literal cast to the type.
                return "((" + TypeName(type) + ")" + Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + ")";
        }
    }

    private sealed partial class OpenCLDialect : Dialect
    {
        public override string Name => "OpenCL";

        public override string Key => "opencl-c";

        public override string KernelQualifier => "__kernel void";

        public override string FunctionQualifier => "";

        // Inlined into the lane loop of ENTRY_rows, or the loop calls a function and nothing vectorises.
        public override string? LaneFunctionQualifier => "__attribute__((always_inline))";

        public override string Pointer(AddressSpace space, string elementType) =>
            (space == AddressSpace.Local ? "__local " : "__global ") + elementType + "*";

        public override string SharedArray(string elementType, string name, string length) =>
            "__local " + elementType + " " + name + "[" + length + "];";

        public override string Barrier => "barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE)";

        // OpenCL C contracts by default (FP_CONTRACT ON): PoCL fuses x * x - y * y + c, and the result differs from
        // every other engine's.
        public override string ContractionPragma(bool allow) => "#pragma OPENCL FP_CONTRACT " + (allow ? "ON" : "OFF") + "\n\n";

        public override string Builtin(BuiltinIndex kind, int dimension)
        {
            string function = kind switch
            {
                BuiltinIndex.Global => "get_global_id",
                BuiltinIndex.Local => "get_local_id",
                BuiltinIndex.Group => "get_group_id",
                BuiltinIndex.GroupSize => "get_local_size",
                _ => "get_num_groups",
            };
            return "(int)" + function + "(" + dimension.ToString(CultureInfo.InvariantCulture) + ")";
        }

        public override string TypeName(SpecialType type) => type switch
        {
            SpecialType.System_Int32 => "int",
            SpecialType.System_UInt32 => "uint",
            SpecialType.System_Int64 => "long",
            SpecialType.System_UInt64 => "ulong",
            SpecialType.System_Single => "float",
            SpecialType.System_Boolean => "bool",
            SpecialType.System_Byte => "uchar",
            SpecialType.System_SByte => "char",
            SpecialType.System_Int16 => "short",
            SpecialType.System_UInt16 => "ushort",
            SpecialType.System_Void => "void",
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };

        public override string LongSuffix => "L";

        public override string FloatInfinity => "INFINITY";

        public override string FloatNaN => "NAN";

        public override string FloatFunction(string name) => name;

        public override string[] AtomicNames { get; } =
            { "atomic_add", "atomic_max", "atomic_min", "atomic_and", "atomic_or", "atomic_xor", "atomic_xchg", "atomic_cmpxchg" };

        public override string FloatAtomicAdd(AddressSpace space, HelperSet helpers)
        {
            // OpenCL 1.2 has no float atomics: a compare-and-swap loop on the bits. Every access to *p is atomic: a
            // plain read of it races with another lane's swap (Oclgrind reported it in ReductionKernels.GroupSum), so
            // the loop guesses 0 (what accumulators start from) and retries with the bits each failed swap found.
            string space_ = space == AddressSpace.Local ? "local" : "global";
            string name = "gcn_atomic_add_float_" + space_;
            helpers.Add(name,
                "float " + name + "(volatile __" + space_ + " float* p, float v)\n{\n" +
                "    union { uint u; float f; } seen, next;\n" +
                "    uint found = 0u;\n" +
                "    do\n    {\n        seen.u = found;\n        next.f = seen.f + v;\n" +
                "        found = atomic_cmpxchg((volatile __" + space_ + " uint*)p, seen.u, next.u);\n    }\n" +
                "    while (found != seen.u);\n" +
                "    return seen.f;\n}");
            return name;
        }
    }

    private sealed partial class CudaDialect : Dialect
    {
        public override string Name => "CUDA";

        public override string Key => "cuda-c";

        public override string KernelQualifier => "extern \"C\" __global__ void";

        public override string FunctionQualifier => "__device__ ";

        public override string? LaneFunctionQualifier => null;

        public override string Pointer(AddressSpace space, string elementType) => elementType + "*";

        public override string SharedArray(string elementType, string name, string length) =>
            "__shared__ " + elementType + " " + name + "[" + length + "];";

        public override string Barrier => "__syncthreads()";

        public override bool HasWarpShuffles => true;

        public override string WarpBarrier => "__syncwarp()";

        public override string ContractionPragma(bool allow) => "";

        public override string Builtin(BuiltinIndex kind, int dimension)
        {
            string axis = dimension == 0 ? ".x" : dimension == 1 ? ".y" : ".z";
            return kind switch
            {
                BuiltinIndex.Global => "(int)(blockIdx" + axis + " * blockDim" + axis + " + threadIdx" + axis + ")",
                BuiltinIndex.Local => "(int)threadIdx" + axis,
                BuiltinIndex.Group => "(int)blockIdx" + axis,
                BuiltinIndex.GroupSize => "(int)blockDim" + axis,
                _ => "(int)gridDim" + axis,
            };
        }

        public override string TypeName(SpecialType type) => type switch
        {
            SpecialType.System_Int32 => "int",
            SpecialType.System_UInt32 => "unsigned int",
            SpecialType.System_Int64 => "long long",
            SpecialType.System_UInt64 => "unsigned long long",
            SpecialType.System_Single => "float",
            SpecialType.System_Boolean => "bool",
            SpecialType.System_Byte => "unsigned char",
            SpecialType.System_SByte => "signed char",
            SpecialType.System_Int16 => "short",
            SpecialType.System_UInt16 => "unsigned short",
            SpecialType.System_Void => "void",
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };

        public override string LongSuffix => "LL";

        public override string FloatInfinity => "__int_as_float(0x7f800000)";

        public override string FloatNaN => "__int_as_float(0x7fffffff)";

        public override string FloatFunction(string name) => name + "f";

        public override string[] AtomicNames { get; } =
            { "atomicAdd", "atomicMax", "atomicMin", "atomicAnd", "atomicOr", "atomicXor", "atomicExch", "atomicCAS" };

        public override string FloatAtomicAdd(AddressSpace space, HelperSet helpers) => "atomicAdd";
    }
}

/// <summary>The index built-ins a lane can read.</summary>
internal enum BuiltinIndex
{
    Global,
    Local,
    Group,
    GroupSize,
    GridSize,
}
