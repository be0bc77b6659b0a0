"""A multilayer network trained by backpropagation written out by hand (chapter 6).

Row-vector convention, for a batch of m samples: ``z[l+1] = a[l] @ W[l] + b[l]`` with W[l] of
shape [S_l, S_{l+1}]; hidden layers apply the activation, the output layer is linear. The loss is
``J = 1/(2m) * sum_i ||y_hat_i - y_i||^2``.
"""

import torch

from gradlab import _checks

ACTIVATIONS = {
    # name: (f(z), f'(z) written with a = f(z))
    "sigmoid": (torch.sigmoid, lambda a: a * (1 - a)),
    "tanh": (torch.tanh, lambda a: 1 - a**2),
}


def forward(params, X, activation):
    """Run the layers; returns the pre-activations ``zs`` and activations ``activations``.
    ``activations[0]`` is X and ``activations[-1]`` the output ``y_hat`` of shape [m, S_L]."""
    f = ACTIVATIONS[activation][0]
    zs, activations = [None], [X]
    for l, (W, b) in enumerate(params):
        z = activations[-1] @ W + b
        zs.append(z)
        activations.append(z if l == len(params) - 1 else f(z))
    return zs, activations


class MLP:
    """Fully connected network with hand-written backward (chapter 6).

    sizes: units per layer, input first, e.g. [2, 50, 1]. activation: "sigmoid" or "tanh".
    params: list of (W, b), W of shape [S_l, S_{l+1}], b of shape [S_{l+1}]; plain tensors.
    After ``forward(X)``: ``zs`` (pre-activations, ``zs[0]`` is None) and ``activations``
    (``activations[0]`` is X, ``activations[-1]`` the output), one entry per layer, which
    ``backward`` uses; both are None before the first forward.
    """

    def __init__(self, sizes, activation="sigmoid", seed=0, dtype=torch.float64):
        self.sizes = _checks.mlp_args(sizes, activation, ACTIVATIONS, dtype)
        self.activation = activation
        g = torch.Generator().manual_seed(_checks.seed(seed))
        self.params = []
        for n_in, n_out in zip(self.sizes, self.sizes[1:]):
            bound = 1 / n_in**0.5  # the same uniform range nn.Linear uses
            W = (torch.rand(n_in, n_out, generator=g, dtype=dtype) * 2 - 1) * bound
            b = (torch.rand(n_out, generator=g, dtype=dtype) * 2 - 1) * bound
            self.params.append((W, b))
        self.zs = self.activations = None

    @property
    def _cache(self):
        """(zs, activations) of the last forward; kept for old code, use the attributes."""
        return None if self.zs is None else (self.zs, self.activations)

    def derivative(self, z, a):
        """f'(z) for a hidden layer, given its pre-activation z and activation a = f(z)."""
        return ACTIVATIONS[self.activation][1](a)

    def forward(self, X):
        """y_hat of shape [m, S_L] for X of shape [m, S_1]; keeps zs and activations."""
        X = _checks.mlp_inputs(X, self.sizes[0], self.params[0][0].dtype)
        self.zs, self.activations = forward(self.params, X, self.activation)
        return _checks.finite("the outputs", self.activations[-1])

    def loss(self, X, y):
        """J = 1/(2m) * sum of squared errors, as a float (runs forward)."""
        y_hat = self.forward(X)
        y = _checks.mlp_targets(y, self.activations)
        return (((y_hat - y) ** 2).sum() / (2 * len(y))).item()

    def backward(self, y):
        """Gradients of J after forward(X): [(dW, db), ...], shaped like params."""
        y = _checks.mlp_targets(y, self.activations)  # shaped like the output
        a, zs = self.activations, self.zs
        delta = (a[-1] - y) / len(y)  # eq. (6.1), linear output layer
        grads = []
        for l in reversed(range(len(self.params))):
            W, _ = self.params[l]
            # eqs. (6.3) and (6.4): the gradients of W^l and b^l
            grads.insert(0, (a[l].T @ delta, delta.sum(dim=0)))
            if l > 0:  # eq. (6.2), one layer down
                delta = (delta @ W.T) * self.derivative(zs[l], a[l])
        return grads


def autograd_gradients(net, X, y):
    """The same gradients as ``net.backward`` but computed by PyTorch's autograd (chapter 6)."""
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a gradlab.backprop.MLP, got {type(net).__name__}")
    params = [
        (W.clone().requires_grad_(True), b.clone().requires_grad_(True)) for W, b in net.params
    ]
    X = _checks.mlp_inputs(X, net.sizes[0], net.params[0][0].dtype)
    y_hat = forward(params, X, net.activation)[1][-1]
    y = _checks.mlp_targets(y, [y_hat.detach()])
    J = ((y_hat - y) ** 2).sum() / (2 * len(y))
    J.backward()
    return [(W.grad, b.grad) for W, b in params]


def train(net, X, y, lr, steps, every=100):
    """Full-batch gradient descent on ``net`` with its own backward (chapter 6): ``steps``
    updates ``W <- W - lr * dW``; returns the loss J before every ``every``-th step."""
    _checks.positive(lr, "lr")
    _checks.integer(steps, "steps", low=0)
    _checks.integer(every, "every")
    losses = []
    for step in range(steps):
        net.forward(X)
        grads = net.backward(y)
        net.params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(net.params, grads)]
        if step % every == 0:
            losses.append(net.loss(X, y))
    return losses
