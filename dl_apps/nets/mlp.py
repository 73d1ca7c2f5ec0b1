"""The multilayer perceptron of the Learn section: one definition from the 2-D playground to real data.

The same :func:`build_mlp` builds the playground's tiny networks (2–7 inputs, 0–4 hidden
layers of 1–16 units, 2 outputs), the plain MLP that the CNN page puts beside its CNN
(784 pixels in, 10 digits out) and the Teach page's head on frozen image features
(1,280 features in, no hidden layer).  A layer is ``Linear → [BatchNorm] → activation →
[Dropout]``; the output layer gives logits (softmax lives in the loss).

Determinism: weights are drawn from an explicit ``torch.Generator`` and dropout masks
too (:class:`SeededDropout`), never from torch's global random state, so two sessions
training at once on one server each get exactly their seed's numbers.
"""

from __future__ import annotations

from typing import Any, Sequence

ACTIVATIONS: tuple[str, ...] = ("relu", "tanh", "sigmoid", "linear")


def _classes() -> Any:
    import torch
    from torch import nn

    class SeededDropout(nn.Module):
        """Dropout whose masks come from the network's own generator (inverted dropout)."""

        def __init__(self, p: float, generator: torch.Generator) -> None:
            super().__init__()
            self.p = float(p)
            self.generator = generator

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            if not self.training or self.p <= 0.0:
                return x
            keep = torch.rand(x.shape, generator=self.generator) >= self.p
            return x * keep / (1.0 - self.p)

    class MLP(nn.Module):
        """Fully connected network; ``hidden_outputs(x)`` gives every hidden layer's activations."""

        def __init__(
            self,
            in_features: int,
            hidden: Sequence[int],
            out_features: int,
            activation: str,
            dropout: float,
            batch_norm: bool,
            generator: torch.Generator,
        ) -> None:
            super().__init__()
            if activation not in ACTIVATIONS:
                raise ValueError(f"unknown activation {activation!r}")
            self.hidden = tuple(int(width) for width in hidden)
            self.activation = activation
            self.layers = nn.ModuleList()
            width_in = in_features
            for width in self.hidden:
                parts: list[nn.Module] = [nn.Linear(width_in, width)]
                if batch_norm:
                    parts.append(nn.BatchNorm1d(width))
                parts.append(_activation(activation))
                if dropout > 0:
                    parts.append(SeededDropout(dropout, generator))
                self.layers.append(nn.Sequential(*parts))
                width_in = width
            self.output = nn.Linear(width_in, out_features)
            self._init_weights(generator)

        def _init_weights(self, generator: torch.Generator) -> None:
            gain = {"relu": nn.init.calculate_gain("relu"), "tanh": nn.init.calculate_gain("tanh")}.get(self.activation, 1.0)
            with torch.no_grad():
                for module in self.modules():
                    if isinstance(module, nn.Linear):
                        # Glorot/He-style uniform init scaled by the activation's gain
                        bound = gain * (3.0 / module.in_features) ** 0.5
                        module.weight.uniform_(-bound, bound, generator=generator)
                        module.bias.zero_()

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            """Logits (N, out_features) for inputs (N, in_features)."""
            for layer in self.layers:
                x = layer(x)
            return self.output(x)

        def hidden_outputs(self, x: torch.Tensor) -> list[torch.Tensor]:
            """The output of each hidden layer (after its activation), one (N, width) tensor per layer."""
            outputs = []
            for layer in self.layers:
                x = layer(x)
                outputs.append(x)
            return outputs

    def _activation(name: str) -> nn.Module:
        return {"relu": nn.ReLU(), "tanh": nn.Tanh(), "sigmoid": nn.Sigmoid(), "linear": nn.Identity()}[name]

    return MLP


_MLP_CLASS: Any = None


def build_mlp(
    in_features: int,
    hidden: Sequence[int],
    out_features: int,
    activation: str = "relu",
    dropout: float = 0.0,
    batch_norm: bool = False,
    seed: int = 0,
) -> Any:
    """A seeded MLP (``torch.nn.Module``): ``in_features`` → each width of ``hidden`` → ``out_features`` logits.

    ``hidden=()`` is a linear model (logistic regression once a softmax is applied).
    ``activation`` is one of :data:`ACTIVATIONS`; ``dropout`` the drop probability after
    each hidden activation; ``batch_norm`` adds BatchNorm1d after each hidden Linear.
    The network's generator (``net.generator``) also drives its dropout masks.
    """
    import torch

    global _MLP_CLASS
    if _MLP_CLASS is None:
        _MLP_CLASS = _classes()
    generator = torch.Generator().manual_seed(int(seed))
    net = _MLP_CLASS(in_features, hidden, out_features, activation, float(dropout), bool(batch_norm), generator)
    net.generator = generator
    return net


def count_parameters(net: Any) -> int:
    """Number of trainable parameters of a torch module."""
    return int(sum(p.numel() for p in net.parameters() if p.requires_grad))
