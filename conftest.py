"""pytest settings for the whole repository: tests/ and nbval's run of chapters/.

Explorers (gradlab.widgets) save their static, book-ready view when GRADLAB_STATIC_FRAMES is set,
as tools/refresh_outputs.py does; nbval must re-run the chapters the same way to compare outputs.
The kernels nbval starts inherit this process's environment.
"""

import os

os.environ["GRADLAB_STATIC_FRAMES"] = "1"
