using System.Reflection;
using System.Reflection.Emit;

namespace GpuConvNet.Tests.Ilgpu;

/// <summary>
/// A twin with SpecializedValue parameters, made compilable without an accelerator: ILGPU specialises only inside its
/// typed launchers (which need a device), so this emits a kernel that calls the twin with each specialised value at
/// 16 — what those launchers do in ILGPU's IR — for the offline PTX and OpenCL C 2.0 checks.
/// </summary>
internal static class SpecializedTwin
{
    private static int made;

    public static MethodInfo Wrap(MethodInfo twin)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("SpecializedTwin" + Interlocked.Increment(ref made)), AssemblyBuilderAccess.Run);
        var type = assembly.DefineDynamicModule("Twins").DefineType("Twins", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        var parameters = twin.GetParameters().Select(p => p.ParameterType).ToArray();
        var method = type.DefineMethod(twin.Name, MethodAttributes.Public | MethodAttributes.Static, typeof(void), parameters);
        var il = method.GetILGenerator();
        for (int i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            if (parameter.IsGenericType && parameter.GetGenericTypeDefinition() == typeof(ILGPU.Runtime.SpecializedValue<>))
            {
                var value = parameter.GetGenericArguments()[0];
                if (value == typeof(float))
                {
                    il.Emit(OpCodes.Ldc_R4, 16f);
                }
                else if (value == typeof(long))
                {
                    il.Emit(OpCodes.Ldc_I8, 16L);
                }
                else
                {
                    il.Emit(OpCodes.Ldc_I4, 16);
                }
                il.Emit(OpCodes.Newobj, parameter.GetConstructor([value])!);
            }
            else
            {
                il.Emit(OpCodes.Ldarg, i);
            }
        }
        il.Emit(OpCodes.Call, twin);
        il.Emit(OpCodes.Ret);
        return type.CreateType().GetMethod(twin.Name)!;
    }
}
