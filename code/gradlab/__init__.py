"""gradlab: the helper library grown from the course, one module per idea.

Modules and the chapters that use them:

- ``gradlab.data``      data sets (ch. 1-6, 8) and the minibatch iterator (ch. 4, 5)
- ``gradlab.linreg``    the exact least-squares answer (ch. 1, 2, 3, 4) and linear regression from
                        scratch: ``linreg``, ``squared_loss``, ``sgd``, ``gradients`` (ch. 4, 5, 7)
- ``gradlab.descent``   plain gradient descent on a function of a few variables (ch. 3)
- ``gradlab.claims``    print the bound a comparison meets, not its round-off (ch. 1-8)
- ``gradlab.gradcheck`` finite-difference gradients and the relative error (ch. 5, 6)
- ``gradlab.backprop``  a multilayer network with a hand-written backward pass (ch. 6)
- ``gradlab.deep``      error terms layer by layer for sigmoid, tanh and ReLU, and a worked
                        backward pass drawn on a small network (ch. 6)
- ``gradlab.training``  the chapters' training loops as helpers, RMSE, standardising, a step
                        timer (ch. 2, 4, 5, 6, 8)
- ``gradlab.engine``    a scalar autograd engine, the ``Value`` class (ch. 8)
- ``gradlab.checks``    self-checks learners call with their own code (ch. 4, 5, 6, 8)
- ``gradlab.graph``     trace and draw the graph of a tensor or a Value, without Graphviz (ch. 7, 8)
- ``gradlab.plots``     a colour-blind-safe palette and the recurring figures
                        (ch. 1, 2, 3, 4, 6, 7, 8)
- ``gradlab.widgets``   explorers: a live widget in Jupyter, precomputed frames in the book
                        (ch. 1, 3, 4)

``gradlab._checks`` holds every input check, so that the functions above read like the maths.
"""

__version__ = "0.1.0"
