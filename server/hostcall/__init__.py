"""hostcall: run Python in a browser tab and let it call functions of its host.

Python (Pyodide) runs in a Web Worker owned by ``bridge.js``; this package is the Python
side: the development server that serves the bridge, the worker and a pinned Pyodide
runtime with the cross-origin isolation headers, and the ``hostcall`` command line.
"""

__version__ = "0.1.0"

from hostcall.remote import HostFunctions

__all__ = ["HostFunctions", "__version__"]
