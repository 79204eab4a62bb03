"""Reference optimizer steps for TorchOptimizerParityTest: applies torch.optim to the tensors and
gradients the Java test wrote, and writes back the parameters and the optimizer state after the
last step. Usage: torch_optim.py IN.json OUT.json

IN: {"optimizer": "sgd"|"adagrad", "momentum": m, "weightDecay": wd,
     "params": [{"values": [...], "shape": [...], "decay": bool}, ...],
     "steps": [{"lr": lr, "grads": [[...], ...]}, ...]}
OUT: {"torch": version, "params": [[...], ...], "state": [[...], ...]}
"""
import json
import sys

import torch

with open(sys.argv[1]) as f:
    spec = json.load(f)

params = [torch.tensor(p["values"], dtype=torch.float32).reshape(p["shape"]).requires_grad_()
          for p in spec["params"]]
decayed = [t for t, p in zip(params, spec["params"]) if p["decay"]]
plain = [t for t, p in zip(params, spec["params"]) if not p["decay"]]
wd = spec["weightDecay"]
groups = [{"params": decayed, "weight_decay": wd}, {"params": plain, "weight_decay": 0.0}]
first_lr = spec["steps"][0]["lr"]
if spec["optimizer"] == "sgd":
    opt = torch.optim.SGD(groups, lr=first_lr, momentum=spec["momentum"])
    state_key = "momentum_buffer"
elif spec["optimizer"] == "adagrad":
    opt = torch.optim.Adagrad(groups, lr=first_lr, eps=1e-10)
    state_key = "sum"
else:
    sys.exit("unknown optimizer " + spec["optimizer"])

for step in spec["steps"]:
    for g in opt.param_groups:
        g["lr"] = step["lr"]
    for t, p, grad in zip(params, spec["params"], step["grads"]):
        t.grad = torch.tensor(grad, dtype=torch.float32).reshape(p["shape"])
    opt.step()

with open(sys.argv[2], "w") as f:
    json.dump({"torch": torch.__version__,
               "params": [t.detach().reshape(-1).tolist() for t in params],
               "state": [opt.state[t][state_key].reshape(-1).tolist() for t in params]}, f)
