namespace GpuConvNet;

/// <summary>
/// Input from a user — a file, a directory, an argument — that cannot be used. The message says what is wrong and
/// what to do; the command line prints it as one line and exits non-zero, without a stack trace.
/// </summary>
public sealed class UserInputException(string message, Exception? inner = null) : Exception(message, inner);
