"""A multilayer network trained by backpropagation written out by hand (chapter 6).

Row-vector convention, for a batch of m samples: ``z[l+1] = a[l] @ W[l] + b[l]`` with W[l] of
shape [S_l, S_{l+1}]; hidden layers apply the activation, the output layer is linear. The loss is
``J = 1/(2m) * sum_i ||y_hat_i - y_i||^2``.
"""

import torch

from gradlab._checks import check_seed

ACTIVATIONS = {
    # name: (f(z), f'(z) written with a = f(z))
    "sigmoid": (torch.sigmoid, lambda a: a * (1 - a)),
    "tanh": (torch.tanh, lambda a: 1 - a ** 2),
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
    """

    def __init__(self, sizes, activation="sigmoid", seed=0, dtype=torch.float64):
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; expected one of {sorted(ACTIVATIONS)}")
        if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
            raise ValueError(f"sizes must list at least an input and an output size, got {sizes!r}")
        if not all(isinstance(s, int) and not isinstance(s, bool) and s >= 1 for s in sizes):
            raise ValueError(f"sizes must be positive integers, got {sizes!r}")
        if not (isinstance(dtype, torch.dtype) and dtype.is_floating_point):
            raise TypeError(f"dtype must be a floating-point torch dtype, got {dtype!r}")
        self.sizes, self.activation = list(sizes), activation
        g = torch.Generator().manual_seed(check_seed(seed))
        self.params = []
        for n_in, n_out in zip(sizes, sizes[1:]):
            bound = 1 / n_in ** 0.5  # the same uniform range nn.Linear uses
            W = (torch.rand(n_in, n_out, generator=g, dtype=dtype) * 2 - 1) * bound
            b = (torch.rand(n_out, generator=g, dtype=dtype) * 2 - 1) * bound
            self.params.append((W, b))
        self._cache = None

    def derivative(self, z, a):
        """f'(z) for a hidden layer, given its pre-activation z and activation a = f(z)."""
        return ACTIVATIONS[self.activation][1](a)

    def forward(self, X):
        """y_hat of shape [m, S_L] for X of shape [m, S_1]; keeps z and a for backward."""
        X = self._check_X(X)
        zs, activations = forward(self.params, X, self.activation)
        if not torch.isfinite(activations[-1]).all():
            raise FloatingPointError("the output overflows: the inputs or the weights are too "
                                     "large (in training: the learning rate is too large)")
        self._cache = zs, activations
        return activations[-1]

    def loss(self, X, y):
        """J = 1/(2m) * sum of squared errors, as a float (runs forward)."""
        y_hat = self.forward(X)
        y = self._check_y(y, y_hat)
        return (((y_hat - y) ** 2).sum() / (2 * len(y))).item()

    def backward(self, y):
        """Gradients of J for the last forward: list of (dW, db) shaped like params."""
        if self._cache is None:
            raise ValueError("backward needs the values of a forward pass: call forward(X) first")
        zs, activations = self._cache
        y = self._check_y(y, activations[-1])
        L = len(self.params)
        delta = (activations[-1] - y) / len(y)          # dJ/dz at the (linear) output layer
        grads = [None] * L
        for l in range(L - 1, -1, -1):
            W, _ = self.params[l]
            grads[l] = (activations[l].T @ delta, delta.sum(dim=0))
            if l > 0:                                     # dJ/dz one layer down
                delta = (delta @ W.T) * self.derivative(zs[l], activations[l])
        return grads

    def _check_X(self, X):
        if not isinstance(X, torch.Tensor):
            raise TypeError(f"X must be a torch.Tensor, got {type(X).__name__}")
        if X.dim() != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape [m, {self.sizes[0]}], got {list(X.shape)}")
        if len(X) == 0:
            raise ValueError("X must hold at least one sample, got shape " + str(list(X.shape)))
        if X.dtype == torch.bool or X.is_complex():
            raise TypeError(f"X must hold real numbers, got dtype {X.dtype}")
        if not torch.isfinite(X).all():
            raise ValueError("X must be finite, but it holds NaN or infinite values")
        return X.to(self.params[0][0].dtype)

    def _check_y(self, y, y_hat):
        if not isinstance(y, torch.Tensor):
            raise TypeError(f"y must be a torch.Tensor, got {type(y).__name__}")
        if y.dim() == 1 and y_hat.shape[1] == 1:
            y = y.unsqueeze(1)
        if y.shape != y_hat.shape:
            raise ValueError(f"y must have shape {list(y_hat.shape)} like the output, got {list(y.shape)}")
        if y.dtype == torch.bool or y.is_complex():
            raise TypeError(f"y must hold real numbers, got dtype {y.dtype}")
        if not torch.isfinite(y).all():
            raise ValueError("y must be finite, but it holds NaN or infinite values")
        return y.to(y_hat.dtype)


def autograd_gradients(net, X, y):
    """The same gradients as ``net.backward`` but computed by PyTorch's autograd (chapter 6)."""
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a gradlab.backprop.MLP, got {type(net).__name__}")
    params = [(W.clone().requires_grad_(True), b.clone().requires_grad_(True)) for W, b in net.params]
    y_hat = forward(params, net._check_X(X), net.activation)[1][-1]
    y = net._check_y(y, y_hat)
    J = ((y_hat - y) ** 2).sum() / (2 * len(y))
    J.backward()
    return [(W.grad, b.grad) for W, b in params]
