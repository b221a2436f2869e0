// netstandard2.0 lacks the types that C# 9+ features need at compile time.
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}
