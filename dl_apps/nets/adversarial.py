"""FGSM and PGD written by hand in PyTorch, on any network taking [0, 1] pixels (L∞ budget ε).

The few lines are the lesson of the adversarial page (``dl_apps.tasks.attack``), and the
same functions make the adversarial training of ``dl_apps/train/mnist_cnn.py``.
"""

from __future__ import annotations

from typing import Any

from dl_apps.core import InputError

METHODS: tuple[str, ...] = ("fgsm", "pgd")
DEFAULT_STEPS = 10


def _loss_gradient(net: Any, x: Any, labels: Any) -> Any:
    """Gradient of the mean cross-entropy with respect to the input images."""
    import torch
    from torch.nn import functional as F

    x = x.detach().clone().requires_grad_(True)
    with torch.enable_grad():
        loss = F.cross_entropy(net(x), labels)
        (gradient,) = torch.autograd.grad(loss, x)
    return gradient


def fgsm(net: Any, images: Any, labels: Any, eps: float, target: Any | None = None) -> Any:
    """Fast Gradient Sign Method: ``x + ε·sign(∇ₓ loss)``, clipped to [0, 1].

    ``labels`` are the true classes (untargeted: push away from them); with ``target``
    the step goes *down* the loss of the target classes instead (targeted).
    """
    if target is None:
        step = eps * _loss_gradient(net, images, labels).sign()
    else:
        step = -eps * _loss_gradient(net, images, target).sign()
    return (images + step).clamp(0.0, 1.0).detach()


def pgd(
    net: Any,
    images: Any,
    labels: Any,
    eps: float,
    steps: int = DEFAULT_STEPS,
    step_size: float | None = None,
    target: Any | None = None,
    random_start: bool = True,
    seed: int | None = 0,
) -> Any:
    """Projected Gradient Descent (iterated FGSM): ``steps`` signed-gradient steps of
    ``step_size`` (default 2.5·ε/steps, as in Madry et al.), each projected back into the
    L∞ ball of radius ε around the original and into [0, 1].  Starts at a random point
    of the ball when ``random_start`` (seeded by ``seed`` for reproducible demos).
    """
    import torch

    if step_size is None:
        step_size = 2.5 * eps / max(steps, 1)
    original = images.detach()
    adversarial = original.clone()
    if random_start and eps > 0:
        generator = torch.Generator().manual_seed(seed) if seed is not None else None
        noise = torch.rand(original.shape, generator=generator, dtype=original.dtype) * 2 - 1
        adversarial = (original + eps * noise).clamp(0.0, 1.0)
    for _ in range(steps):
        if target is None:
            adversarial = adversarial + step_size * _loss_gradient(net, adversarial, labels).sign()
        else:
            adversarial = adversarial - step_size * _loss_gradient(net, adversarial, target).sign()
        adversarial = torch.min(torch.max(adversarial, original - eps), original + eps).clamp(0.0, 1.0)
    return adversarial.detach()


def attack_batch(
    net: Any,
    images: Any,
    labels: Any,
    method: str,
    eps: float,
    steps: int = DEFAULT_STEPS,
    step_size: float | None = None,
    target: Any | None = None,
    seed: int | None = 0,
) -> Any:
    """Run ``method`` ("fgsm" or "pgd") on a batch; returns the adversarial images."""
    if method == "fgsm":
        return fgsm(net, images, labels, eps, target=target)
    if method == "pgd":
        return pgd(net, images, labels, eps, steps=steps, step_size=step_size, target=target, seed=seed)
    raise InputError("attack_bad_method", f"Unknown attack {method!r}; choose one of: {', '.join(METHODS)}.", method=method)


def accuracy(net: Any, images: Any, labels: Any, batch_size: int = 250) -> float:
    """Fraction of ``images`` classified as ``labels``."""
    import torch

    correct = 0
    with torch.no_grad():
        for start in range(0, len(labels), batch_size):
            logits = net(images[start:start + batch_size])
            correct += int((logits.argmax(1) == labels[start:start + batch_size]).sum())
    return correct / max(len(labels), 1)


def robust_accuracy(
    net: Any,
    images: Any,
    labels: Any,
    method: str,
    eps: float,
    steps: int = DEFAULT_STEPS,
    batch_size: int = 250,
    seed: int = 0,
) -> float:
    """Accuracy on adversarial versions of ``images`` (each attacked against its true label)."""
    import torch

    correct = 0
    for start in range(0, len(labels), batch_size):
        chunk, truth = images[start:start + batch_size], labels[start:start + batch_size]
        adversarial = attack_batch(net, chunk, truth, method, eps, steps=steps, seed=seed + start)
        with torch.no_grad():
            correct += int((net(adversarial).argmax(1) == truth).sum())
    return correct / max(len(labels), 1)
