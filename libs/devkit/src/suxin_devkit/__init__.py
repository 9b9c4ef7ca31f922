"""Suxin development kit: the local stack (``devstack``), test helpers (``testing``), benchmark
helpers (``benchmarks``) and the ``suxin dev`` commands. It builds on the runtime kit
(suxin_common); the runtime kit and the services never import it."""
