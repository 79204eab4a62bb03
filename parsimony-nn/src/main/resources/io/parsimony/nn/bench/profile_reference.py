"""Profiles the PyTorch reference's training step op by op (torch.profiler, CPU) and writes a
Chrome trace, for `parsimony bench train --profile`. The network, optimizer, loss and inputs are
built by torch_reference.py itself (loaded from its path), and the step is the script's own.

Usage: profile_reference.py TORCH_REFERENCE_PY ARCH BATCH STEPS WARMUP THREADS OUT_JSON
"""
import importlib.util
import sys

import torch
import torch.nn as nn

script, arch, batch, steps, warmup, threads, out = sys.argv[1:8]
batch, steps, warmup, threads = int(batch), int(steps), int(warmup), int(threads)
spec = importlib.util.spec_from_file_location("torch_reference", script)
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)
torch.set_num_threads(threads)
torch.manual_seed(0)
channels, size = (1, 28) if arch == "fmnist4" else (3, 32)
net = getattr(ref, arch)(channels, 10).train()
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
loss_fn = nn.CrossEntropyLoss()
x = torch.randn(batch, channels, size, size)
y = torch.randint(0, 10, (batch,))


def step():
    opt.zero_grad(set_to_none=True)
    loss_fn(net(x), y).backward()
    opt.step()


for _ in range(warmup):
    step()
with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], record_shapes=True) as prof:
    for _ in range(steps):
        step()
prof.export_chrome_trace(out)
