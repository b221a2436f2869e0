namespace GpuConvNet.Compute;

/// <summary>ILGPU's host-side extensions of views, by the same names.</summary>
public static class ArrayViewExtensions
{
    /// <summary>ILGPU's name: the view's elements, copied from its buffer (a 2-D or 3-D view's <c>BaseView</c> included).</summary>
    public static T[] GetAsArray<T>(this ArrayView<T> view) where T : unmanaged => view.GetAsArray1D();
}
