"""The code_interpreter sandbox: model-written Python run for real, with RestrictedPython guards,
module facades and process limits. The server side is `host`; everything else runs in the
sandbox's own processes (see `zygote`)."""

from .host import CellOutput, SandboxHost, SandboxLimits, SandboxUnavailable, SessionProcess, host

__all__ = ["CellOutput", "SandboxHost", "SandboxLimits", "SandboxUnavailable", "SessionProcess", "host"]
