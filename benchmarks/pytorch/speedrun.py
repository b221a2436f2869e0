"""The speed run of GpuConvNet's `fast` model in PyTorch: the same model, data, normalisation and recipe (Adam,
one-cycle from lr/25 up to 4e-3 over the first quarter then half a cosine down to lr/1e4, per step; batch 128;
2 epochs; all 60,000 training images; the test set evaluated once at the end), timed from data in memory to the
final evaluation. Prints one JSON line per seed: {"seed", "seconds", "train_seconds", "accuracy", "device"}.
With --device cuda the data sit on the GPU from the start (as ours do on theirs) and the clock waits for the GPU.

    /usr/bin/python3 benchmarks/pytorch/speedrun.py --data ../shared/data/mnist --seeds 1 2 3 4 5 [--threads 2] [--device cuda]
--epochs shortens the run for a smoke test (the one-cycle schedule spans the shorter run); the speed run is 2.
"""
import argparse, gzip, json, math, os, struct, time

import torch
import torch.nn.functional as F

from models import fast


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 0x803:
        rows, cols = struct.unpack(">II", data[8:16])
        return torch.frombuffer(bytearray(data[16:]), dtype=torch.uint8).reshape(count, 1, rows, cols)
    return torch.frombuffer(bytearray(data[8:]), dtype=torch.uint8).long()


def one_cycle(step, total, peak):
    progress = step / total
    start, end = peak / 25, peak / 1e4
    if progress < 0.25:
        return start + (peak - start) * progress / 0.25
    return end + (peak - end) * 0.5 * (1 + math.cos(math.pi * min(1.0, (progress - 0.25) / 0.75)))


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def run(seed, train_x, train_y, test_x, test_y, epochs=2, batch=128, peak=4e-3):
    device = train_x.device
    torch.manual_seed(seed)
    model = fast().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=peak)
    steps = epochs * math.ceil(len(train_x) / batch)
    synchronize(device)
    clock = time.perf_counter()
    step = 0
    model.train()
    for epoch in range(epochs):
        order = torch.randperm(len(train_x), device=device)
        for start in range(0, len(train_x), batch):
            index = order[start:start + batch]
            for group in optimizer.param_groups:
                group["lr"] = one_cycle(step + 0.5, steps, peak)
            loss = F.cross_entropy(model(train_x[index]), train_y[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            step += 1
    synchronize(device)
    trained = time.perf_counter() - clock
    model.eval()
    with torch.no_grad():
        correct = sum((model(test_x[i:i + 1000]).argmax(1) == test_y[i:i + 1000]).sum().item() for i in range(0, len(test_x), 1000))
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    return {"seed": seed, "seconds": time.perf_counter() - clock, "train_seconds": trained, "accuracy": correct / len(test_x), "device": name}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "mnist"))
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    normalise = lambda images: (images.float() / 255 - 0.1307) / 0.3081
    train_x = normalise(idx(os.path.join(args.data, "train-images-idx3-ubyte.gz"))).to(device)
    train_y = idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz")).to(device)
    test_x = normalise(idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz"))).to(device)
    test_y = idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz")).to(device)
    for seed in args.seeds:
        print(json.dumps(run(seed, train_x, train_y, test_x, test_y, epochs=args.epochs)), flush=True)


if __name__ == "__main__":
    main()
