"""gradlab: the helper library grown from the course, one module per idea.

Modules and the chapters that use them:

- ``gradlab.data``    data sets and the minibatch iterator (ch. 1, 2, 4)
- ``gradlab.linreg``  the exact least-squares answer, and linear regression from scratch (ch. 1-5)
- ``gradlab.descent`` plain gradient descent on a function of a few variables (ch. 3)
- ``gradlab.claims``  print the bound a comparison meets, not its round-off (ch. 2-8)
- ``gradlab.gradcheck`` finite-difference gradients and the relative error (ch. 5, 6)
- ``gradlab.backprop`` a multilayer network with a hand-written backward pass (ch. 6)
- ``gradlab.engine``  a scalar autograd engine, the ``Value`` class (ch. 8)
- ``gradlab.checks``  self-checks learners call with their own code (ch. 4, 5, 6, 8)
- ``gradlab.graph``   trace and draw the graph of a tensor or a Value, without Graphviz (ch. 7, 8)
- ``gradlab.plots``   a colour-blind-safe palette and the recurring figures (ch. 1, 2, 3)
- ``gradlab.widgets`` explorers: a live widget in Jupyter, precomputed frames in the book (ch. 1, 3, 4)
"""

__version__ = "0.1.0"
