"""Writes pytorch-cnn.onnx, a tiny CNN exported by PyTorch, and pytorch-cnn.expected.json, its logits on fixed inputs.

The ONNX import tests run the file on every engine and compare with PyTorch's logits, without needing PyTorch.
Made with Debian's PyTorch 1.13 (python3-torch): /usr/bin/python3 make_pytorch_cnn.py
"""
import json

import torch
from torch import nn

torch.manual_seed(26)
model = nn.Sequential(
    nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(4, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(8 * 6 * 6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.5), nn.Linear(16, 10),
)
# Running statistics away from their initial 0 and 1, so that the test sees them used. PyTorch's export folds the
# first batch norm into its convolution; the second, after a Linear, stays a BatchNormalization node.
with torch.no_grad():
    for norm in (model[1], model[9]):
        norm.running_mean.uniform_(-0.5, 0.5)
        norm.running_var.uniform_(0.5, 2.0)
        norm.weight.uniform_(0.5, 1.5)
        norm.bias.uniform_(-0.2, 0.2)
model.eval()


def inputs(count):
    """The same numbers as OnnxImportTests.PyTorchInputs: float64 arithmetic, then rounded to float32."""
    values = [((n * 784 + p) * 7919 % 1000) / 1000.0 * 2.0 - 0.5 for n in range(count) for p in range(784)]
    return torch.tensor(values, dtype=torch.float32).reshape(count, 1, 28, 28)


x = inputs(8)
torch.onnx.export(model, x[:1], "pytorch-cnn.onnx", opset_version=13, input_names=["image"], output_names=["scores"],
                  dynamic_axes={"image": {0: "n"}, "scores": {0: "n"}})
with torch.no_grad():
    logits = model(x)
with open("pytorch-cnn.expected.json", "w") as f:
    json.dump({"torch": torch.__version__, "count": 8, "logits": [float(v) for v in logits.flatten()]}, f, indent=1)
    f.write("\n")
