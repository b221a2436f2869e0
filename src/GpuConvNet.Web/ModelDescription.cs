namespace GpuConvNet.Web;

/// <summary>What <c>GET /api/model</c> says about the model (or the ensemble of models) being served.</summary>
/// <param name="Name">The model's name (e.g. cnn); for an ensemble, its members' names joined by " + ".</param>
/// <param name="Classes">The class labels, in output order.</param>
/// <param name="Width">Columns of the model's input image.</param>
/// <param name="Height">Rows of the model's input image.</param>
/// <param name="Parameters">Trainable parameters (of all the members together).</param>
/// <param name="Epoch">The epoch the checkpoint holds, when it says (one model only).</param>
/// <param name="ValidationAccuracy">Accuracy on the held-out validation images at that epoch (0..1), when it says (one model only).</param>
/// <param name="Device">The accelerator's id (e.g. opencl:0).</param>
/// <param name="DeviceName">The accelerator's name.</param>
/// <param name="Checkpoint">The checkpoint's file name; for an ensemble, its members' joined by ", ".</param>
/// <param name="Dataset">The data set it was trained on (mnist, idx:DIR, folder:DIR).</param>
/// <param name="Members">Each model whose probabilities are averaged: one, unless an ensemble is served.</param>
public sealed record ModelDescription(string Name, IReadOnlyList<string> Classes, int Width, int Height, long Parameters, int? Epoch, double? ValidationAccuracy,
    string Device, string DeviceName, string Checkpoint, string Dataset, IReadOnlyList<MemberDescription> Members);

/// <summary>One model of what is served.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Checkpoint">Its file name.</param>
/// <param name="Parameters">Its trainable parameters.</param>
/// <param name="Epoch">The epoch its checkpoint holds, when it says.</param>
/// <param name="ValidationAccuracy">Its validation accuracy at that epoch, when it says.</param>
public sealed record MemberDescription(string Name, string Checkpoint, long Parameters, int? Epoch, double? ValidationAccuracy);
