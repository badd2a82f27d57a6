"""Escape attempts against the code_interpreter sandbox (emulator.sandbox), by class.

Every attack runs in a real session process with Landlock turned OFF: the guards (RestrictedPython
hooks, facades, path mapping, library hardening, the audit hook) must stop each one on their own.
Each attack asserts that its payload did not run (no `PWNED` printed, no host file read or
written, no module or program reached), that no host path leaked into the logs, and that the
session still answers afterwards. Payload markers are built at run time (`"PW" + "NED"`) so that a
traceback echoing the source line cannot fake a success. Resource bombs (CPU, wall time, memory, output,
files, recursion) are in test_sandbox_limits.py.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import numpy
import pytest

from emulator.sandbox import CellOutput, SandboxLimits, SessionProcess, host
from emulator.sandbox import landlock as landlock_module

#: Limits of the attack sessions; Landlock off so that only the guards stand in the way.
LIMITS = SandboxLimits(wall_seconds=10, cpu_seconds=3, landlock=False)

MARK = "PWNED"
SECRET = "host-secret-3f1c9a"
PASSWD = "root:x:0:0"


@pytest.fixture(scope="module")
def host_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A host folder outside every session: a secret to read, a place a write must not reach."""
    folder = tmp_path_factory.mktemp("host-side")
    secret = folder / "secret.txt"
    secret.write_text(f"a,b\n{SECRET},1\n")
    return {"@SECRET@": str(secret), "@TARGET@": str(folder / "pwned.txt"), "@HOSTDIR@": str(folder)}


@pytest.fixture(scope="module")
def shared() -> dict[str, SessionProcess]:
    box: dict[str, SessionProcess] = {}
    yield box
    if "process" in box:
        box["process"].close()


@pytest.fixture
def session(shared: dict[str, SessionProcess]) -> SessionProcess:
    """One session shared by the attacks that do not depend on each other's state (a new one if an
    attack managed to end it, so that one failure does not hide the others)."""
    process = shared.get("process")
    if process is None or not process.alive:
        if process is not None:
            process.close()
        process = shared["process"] = host().spawn("escapes", LIMITS)
    return process


def fill(code: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        code = code.replace(key, value)
    return code


def answers(session: SessionProcess, limits: SandboxLimits = LIMITS) -> None:
    out = session.run("1 + 1", limits)
    assert (out.logs, out.error) == ("2\n", None), out


def contained(out: CellOutput, session: SessionProcess, files: dict[str, str] | None = None) -> None:
    """Nothing escaped: no payload output, no host file content, no host path in the logs."""
    logs = out.logs
    assert MARK not in logs, logs
    assert SECRET not in logs and PASSWD not in logs, logs
    assert "The Zen of Python" not in logs, logs  # `import this` through a backend name
    for trace in ("Error starting", "could not be found", "No such file or directory: 'latex'", "xelatex"):
        assert trace not in logs, logs  # a program (LaTeX) was started, or at least tried
    for host_path in (session.root, host().base, "site-packages", sys.prefix):
        assert host_path not in logs, (host_path, logs)
    if files:  # nothing written to the host (removed at once so that it fails this attack only)
        written = [name for name in os.listdir(files["@HOSTDIR@"]) if name != "secret.txt"]
        for name in written:
            os.remove(os.path.join(files["@HOSTDIR@"], name))
        assert not written, f"host files were written: {written}"


def attack(session: SessionProcess, code: str, files: dict[str, str]) -> CellOutput:
    out = session.run(fill(code, files), LIMITS)
    contained(out, session, files)
    assert out.limit is None, out  # refused, not crashed
    assert out.error is not None, out.logs  # every attack here ends in a refusal
    answers(session)
    return out


def evil_pickle_npy() -> bytes:
    """A .npy of dtype object whose pickle calls builtins.eval (prints the marker when unpickled)."""
    header = io.BytesIO()
    numpy.lib.format.write_array_header_1_0(header, {"descr": "|O", "fortran_order": False, "shape": (1,)})
    return header.getvalue() + b"cbuiltins\neval\n(Vprint('PW'+'NED')\ntR."


# --- imports -----------------------------------------------------------------------------

IMPORTS = [
    pytest.param("import os\nprint('PW' + 'NED', os.getpid())", id="import-os"),
    pytest.param("import sys\nprint('PW' + 'NED', sys.modules)", id="import-sys"),
    pytest.param("import subprocess\nsubprocess.run(['touch', '@TARGET@'])", id="import-subprocess"),
    pytest.param("import importlib\nimportlib.import_module('os').system('touch @TARGET@')", id="import-importlib"),
    pytest.param("import builtins\nbuiltins.open('@TARGET@', 'w').close()", id="import-builtins"),
    pytest.param("import ctypes\nctypes.CDLL(None).system(b'touch @TARGET@')", id="import-ctypes"),
    pytest.param("import pickle\npickle.loads(b'cos\\nsystem\\n(Vtouch @TARGET@\\ntR.')", id="import-pickle"),
    pytest.param("import socket\nsocket.create_connection(('127.0.0.1', 9))", id="import-socket"),
    pytest.param("import os.path\nprint('PW' + 'NED', os.path)", id="import-dotted-os-path"),
    pytest.param("from matplotlib.pyplot import sys\nprint('PW' + 'NED', sys)", id="from-pyplot-import-sys"),
    pytest.param("from numpy import ctypeslib\nprint('PW' + 'NED', ctypeslib)", id="from-numpy-import-ctypeslib"),
    pytest.param("import numpy.lib\nprint('PW' + 'NED')", id="import-numpy-lib-submodule"),
    pytest.param("import pandas.io.common\nprint('PW' + 'NED')", id="import-pandas-io-common"),
    pytest.param("import matplotlib.cbook\nprint('PW' + 'NED')", id="import-matplotlib-cbook"),
    pytest.param("os = __import__('os')\nprint('PW' + 'NED', os)", id="dunder-import-call"),
    pytest.param("m = __import__('numpy', None, None, ['ctypeslib'])\nprint('PW' + 'NED', m)",
                 id="dunder-import-fromlist"),
    pytest.param("class S(str):\n    pass\nprint('PW' + 'NED', __import__(S('os')))", id="dunder-import-str-subclass"),
    pytest.param("from . import host\nprint('PW' + 'NED')", id="relative-import"),
    pytest.param("print('PW' + 'NED', __import__('sandbox', globals(), None, [], 2))", id="dunder-import-level"),
    # enum's functional API makes classes with any dunder, and global_enum writes into loaded modules.
    pytest.param("import enum\nE = enum.Enum('E', [('realpath', 1)], module='posixpath')\nenum.global_enum(E)\n"
                 "print('PW' + 'NED')", id="enum-global-enum-into-posixpath"),
]  # fmt: skip


@pytest.mark.parametrize("code", IMPORTS)
def test_imports_are_refused(session: SessionProcess, host_files: dict[str, str], code: str) -> None:
    out = attack(session, code, host_files)
    assert out.error in ("ImportError", "ModuleNotFoundError", "AttributeError", "SyntaxError", "NameError"), out


# --- dunders, frames and exceptions ----------------------------------------------------------

DUNDERS = [
    pytest.param("().__class__.__mro__[1].__subclasses__()", id="subclasses-walk-syntax"),
    pytest.param("getattr(getattr(getattr((), '__cla' + 'ss__'), '__mro__')[1], '__subclasses__')()",
                 id="subclasses-walk-getattr"),
    pytest.param("print('PW' + 'NED', hasattr((), '__class__') or getattr((), '__class__'))", id="hasattr-dunder"),
    pytest.param("def gen():\n    yield 1\ng = gen()\nf = getattr(g, 'gi_' + 'frame')\n"
                 "print('PW' + 'NED', f.f_back.f_globals)", id="generator-gi-frame"),
    pytest.param("def gen():\n    yield 1\nprint('PW' + 'NED', getattr(gen(), 'gi_code').co_consts)", id="generator-gi-code"),
    pytest.param("try:\n    1 / 0\nexcept Exception as e:\n    tb = getattr(e, '__traceback__')\n"
                 "    print('PW' + 'NED', tb.tb_frame.f_globals)", id="exception-traceback-getattr"),
    pytest.param("try:\n    1 / 0\nexcept Exception as e:\n    print('PW' + 'NED', e.__traceback__.tb_frame)",
                 id="exception-traceback-syntax"),
    pytest.param("class T:\n    pass\nprint('PW' + 'NED', getattr(T(), 'f_' + 'back'))", id="f-back-by-name"),
    pytest.param("import numpy as np\ntry:\n    getattr(np, 'ctypeslib')\nexcept AttributeError as e:\n"
                 "    assert e.obj is None\n    print(e.obj.ctypes)", id="attribute-error-obj"),
    pytest.param("import pandas as pd\ntry:\n    pd.DataFrame().agg('nothing_here')\nexcept AttributeError as e:\n"
                 "    print(e.obj.ctypes, 'PW' + 'NED')", id="library-attribute-error-obj"),
    pytest.param("T = type(int)\nC = T('C', (), {'x': 1})\nprint('PW' + 'NED', C)", id="metaclass-via-type-of-class"),
    pytest.param("C = type('C', (), {'x': 1})\nprint('PW' + 'NED', C)", id="three-argument-type"),
    pytest.param("import numbers, io, pandas as pd\n"
                 "P = numbers.ABCMeta('P', (), {'__fspath__': lambda self: '@SECRET@',\n"
                 "                              '__class__': property(lambda self: io.StringIO)})\n"
                 "print(pd.read_csv(P()))", id="abcmeta-fspath-and-lying-class"),
    pytest.param("import pandas as pd\nM = pd.CategoricalDtype.type\nprint('PW' + 'NED', M('X', (), {}))",
                 id="library-metaclass-attribute"),
    pytest.param("import functools, pandas as pd\ns = pd.Series([0], index=['__globals__'], dtype=object)\n"
                 "functools.update_wrapper(s, pd.read_csv, assigned=('__globals__',), updated=())\n"
                 "b = s['__globals__']['__builtins__']\n"
                 "b['exec'](\"__import__('os').system('touch @TARGET@')\", {'__builtins__': b})",
                 id="functools-update-wrapper-read-gadget"),
    pytest.param("import numpy as np\ng = np.random.seed.func_globals\nprint('PW' + 'NED', g)", id="cython-func-globals"),
    pytest.param("def f(a, _getattr_=None, /):\n    return a\nprint('PW' + 'NED')", id="posonly-param-shadows-hook"),
    pytest.param("try:\n    raise ExceptionGroup('g', [ValueError()])\nexcept* ValueError as e:\n"
                 "    print('PW' + 'NED')", id="except-star"),
    pytest.param("class M(type(int)):\n    pass\nprint('PW' + 'NED', M)", id="metaclass-subclass"),
    pytest.param("print('PW' + 'NED', vars(len), globals())", id="vars-and-globals"),
    # copy.deepcopy(x, memo) walks into the object behind a bound method or a view and keeps the
    # originals it copied in memo[id(memo)]: the real rcParams, the DataDir behind `open`.
    pytest.param("import copy, matplotlib.pyplot as plt\nmemo = {}\ntry:\n    copy.deepcopy(plt.rcParams, memo)\n"
                 "except Exception:\n    pass\n"
                 "rc = [v for v in memo[id(memo)] if str(type(v)) == \"<class 'matplotlib.RcParams'>\"][0]\n"
                 "rc['figure.hooks'] = ['this:s']\nplt.figure()", id="deepcopy-memo-rcparams"),
    pytest.param("import copy\nmemo = {}\ncopy.deepcopy(open, memo)\n"
                 "data_dir = [v for v in memo[id(memo)] if 'DataDir' in str(type(v))][0]\n"
                 "data_dir.root = '@HOSTDIR@'\nprint(open('/mnt/data/secret.txt').read())", id="deepcopy-memo-data-dir"),
]  # fmt: skip


@pytest.mark.parametrize("code", DUNDERS)
def test_dunders_and_frames_are_refused(session: SessionProcess, host_files: dict[str, str], code: str) -> None:
    attack(session, code, host_files)


# --- format strings -------------------------------------------------------------------------

FORMATS = [
    pytest.param("print('{0.__class__.__mro__}'.format(1), 'PW' + 'NED')", id="str-format-attribute"),
    pytest.param("print('{x.__class__}'.format_map({'x': 1}), 'PW' + 'NED')", id="format-map"),
    pytest.param("print(str.format('{0.__class__}', 1), 'PW' + 'NED')", id="unbound-str-format"),
    pytest.param("import numpy as np\nprint(np.str_('{0.__class__}').format(1), 'PW' + 'NED')",
                 id="str-subclass-format"),
    pytest.param("import string\nprint(string.Formatter().format('{0.__class__}', 1), 'PW' + 'NED')",
                 id="string-formatter"),
    pytest.param("spec = '{0.__class__}'\nprint(f\"{1:{spec.format(2)}}\", 'PW' + 'NED')", id="fstring-nested-spec"),
    pytest.param("import matplotlib.ticker as mt, pandas as pd\n"
                 "print(mt.StrMethodFormatter('{x.__globals__[__builtins__]}')(pd.read_csv), 'PW' + 'NED')",
                 id="matplotlib-strmethodformatter"),
    pytest.param("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nbars = ax.bar([0], [1])\n"
                 "ax.bar_label(bars, fmt='{.__class__.__mro__}')\nprint('PW' + 'NED')", id="matplotlib-bar-label-fmt"),
    pytest.param("import pandas as pd\nprint(pd.DataFrame({'a': [pd.read_csv]}).style.format('{0.__globals__}').to_html(),"
                 " 'PW' + 'NED')", id="pandas-styler-format"),
    pytest.param("import pandas as pd\nprint(pd.DataFrame({'a': [pd.read_csv]})"
                 ".to_latex(formatters={'a': '{0.__globals__[__builtins__]}'}), 'PW' + 'NED')",
                 id="pandas-to-latex-formatters"),
    pytest.param("import pandas as pd\nwith pd.option_context('styler.format.formatter', '{0.__globals__[__builtins__]}'):\n"
                 "    print(pd.DataFrame({'a': [pd.read_csv]}).to_latex(), 'PW' + 'NED')",
                 id="pandas-styler-formatter-option"),
]  # fmt: skip


@pytest.mark.parametrize("code", FORMATS)
def test_format_strings_cannot_walk_attributes(session: SessionProcess, host_files: dict[str, str], code: str) -> None:
    out = attack(session, code, host_files)
    assert "<class" not in out.logs, out.logs


# --- library attributes that lead to modules, programs or raw memory -------------------------

LEAKS = [
    pytest.param("import numpy as np\nprint('PW' + 'NED', np.ctypeslib)", id="np-ctypeslib"),
    pytest.param("import numpy as np\nprint('PW' + 'NED', np.lib.npyio)", id="np-lib"),
    pytest.param("import numpy as np\nprint('PW' + 'NED', np.f2py)", id="np-f2py"),
    pytest.param("import numpy as np\nprint('PW' + 'NED', np.ma.core.builtins)", id="np-ma-core-builtins"),
    pytest.param("import numpy as np\nprint('PW' + 'NED', np.arange(3).ctypes)", id="ndarray-ctypes"),
    pytest.param("import numpy as np\nprint('PW' + 'NED', np.random.default_rng().bit_generator.cffi)",
                 id="bit-generator-cffi"),
    pytest.param("import pandas as pd\nprint('PW' + 'NED', pd.compat)", id="pd-compat"),
    pytest.param("import pandas as pd\nprint('PW' + 'NED', pd.io.common.os)", id="pd-io-common"),
    pytest.param("import pandas as pd\nprint('PW' + 'NED', pd.core.config_init)", id="pd-core-config-init"),
    pytest.param("import pandas as pd\npd.options.plotting.backend = 'this'\nprint('PW' + 'NED')",
                 id="pd-options-plotting-backend"),
    pytest.param("import matplotlib.pyplot as plt\nprint('PW' + 'NED', plt.sys)", id="plt-sys"),
    pytest.param("import matplotlib.pyplot as plt\nprint('PW' + 'NED', plt.importlib)", id="plt-importlib"),
    pytest.param("import matplotlib\nprint('PW' + 'NED', matplotlib.cbook.subprocess)", id="mpl-cbook-subprocess"),
    pytest.param("import matplotlib\nprint(matplotlib.Path('@SECRET@').read_text(), 'PW' + 'NED')",
                 id="mpl-path-is-pathlib"),
    pytest.param("import matplotlib\nprint('PW' + 'NED', matplotlib.Parameter)", id="mpl-inspect-parameter"),
    pytest.param("import fractions\nprint('PW' + 'NED', fractions.re.enum.EnumType)", id="re-enum-through-fractions"),
    pytest.param("import calendar\nprint('PW' + 'NED', calendar.sys)", id="calendar-sys"),
    pytest.param("import operator\nprint(operator.attrgetter('__class__')(1), 'PW' + 'NED')", id="operator-attrgetter"),
    pytest.param("import operator\nprint(operator.methodcaller('__reduce_ex__', 2)(1), 'PW' + 'NED')",
                 id="operator-methodcaller"),
    pytest.param("from matplotlib.style import USER_LIBRARY_PATHS\nUSER_LIBRARY_PATHS.append('@HOSTDIR@')\n"
                 "print('PW' + 'NED')", id="mpl-style-user-library-paths"),
]  # fmt: skip


@pytest.mark.parametrize("code", LEAKS)
def test_library_attributes_do_not_leak(session: SessionProcess, host_files: dict[str, str], code: str) -> None:
    attack(session, code, host_files)


# --- code execution through libraries ---------------------------------------------------

EXECUTION = [
    pytest.param("import pandas as pd\npd.eval(\"print('PW' + 'NED')\")", id="pd-eval"),
    pytest.param("import pandas as pd\npd.DataFrame({'a': [1]}).query('a > 0')\nprint('PW' + 'NED')", id="df-query"),
    pytest.param("import pandas as pd\npd.DataFrame({'a': [1]}).eval('a + 1')\nprint('PW' + 'NED')", id="df-eval"),
    pytest.param("import pandas as pd\ndf = pd.DataFrame({'a': [1]})\ndf.transform('eval', expr='a + 1')\n"
                 "print('PW' + 'NED')", id="df-transform-eval-by-name"),
    pytest.param("import pandas as pd\ndf = pd.DataFrame({'a': [1]})\ndf.apply('to_csv', path_or_buf='@TARGET@')",
                 id="df-apply-to-csv-by-name"),
    pytest.param("import pandas as pd\ns = pd.Series([1])\nprint(s.apply('__getattribute__', args=('__class__',)), "
                 "'PW' + 'NED')", id="series-apply-getattribute-by-name"),
    pytest.param("import pandas as pd\ngb = pd.DataFrame({'a': [1], 'b': [2]}).groupby('a')\n"
                 "print(gb['b'].agg('__getattribute__', '_selected_obj'), 'PW' + 'NED')", id="groupby-agg-by-name"),
    pytest.param("import pandas as pd\nst = pd.DataFrame({'a': [1]}).agg('style')\n"
                 "st.env.from_string(\"{{ cycler.__init__.__globals__.os.system('touch @TARGET@') }}\").render()",
                 id="df-agg-style-jinja"),
    pytest.param("import pandas as pd\nenv = pd.DataFrame({'a': [1]}).style.env\n"
                 "print(env.from_string(\"{{ 'PW' ~ 'NED' }}\").render())", id="styler-jinja-environment"),
    pytest.param("import numpy as np\nnp.load('evil_pickle.npy', allow_pickle=True)", id="np-load-allow-pickle"),
    pytest.param("import numpy as np\nz = np.load('evil_pickle.npz')\nz.allow_pickle = True\nz['a']",
                 id="npzfile-allow-pickle-attribute"),
    pytest.param("import pandas as pd\npd.read_pickle('evil_pickle.npz')", id="pd-read-pickle"),
    pytest.param("import numpy as np\nprint(np.arange(3).dumps(), 'PW' + 'NED')", id="ndarray-dumps"),
    pytest.param("import pandas as pd\npd.DataFrame({'a': [1]}).to_pickle('@TARGET@')", id="df-to-pickle"),
    pytest.param("import matplotlib.pyplot as plt\nplt.switch_backend('module://this')", id="plt-switch-backend"),
    pytest.param("import matplotlib\nmatplotlib.use('module://this')", id="mpl-use-module"),
    pytest.param("import matplotlib.pyplot as plt\nplt.rcParams['backend'] = 'module://this'", id="rcparams-backend"),
    pytest.param("import matplotlib.pyplot as plt\nplt.rcParams['figure.hooks'] = ['this:x']", id="rcparams-figure-hooks"),
    pytest.param("import matplotlib.pyplot as plt\nplt.style.use({'figure.hooks': ['this:x']})", id="style-dict-hooks"),
    pytest.param("f = open('evil.mplstyle', 'w')\nf.write('figure.hooks: this:x\\n')\nf.close()\n"
                 "import matplotlib.pyplot as plt\nplt.style.use('/mnt/data/evil.mplstyle')", id="style-file-hooks"),
    pytest.param("import matplotlib.pyplot as plt\nplt.rcParams.update({'figure.hooks': ['this:x']})",
                 id="rcparams-update-hooks"),
    pytest.param("import matplotlib as mpl\nwith mpl.rc_context({'backend': 'module://this'}):\n    pass",
                 id="rc-context-backend"),
    pytest.param("import matplotlib as mpl\nwith mpl.rc_context(fname='evil.mplstyle'):\n    pass", id="rc-context-fname"),
    pytest.param("import matplotlib.pyplot as plt\n"
                 "plt.rcParams['axes.prop_cycle'] = \"cycler(color=[__import__('os').system('touch @TARGET@')])\"",
                 id="rcparams-prop-cycle-eval"),
    pytest.param("import matplotlib.pyplot as plt\nplt.rc('text', usetex=True)", id="rc-text-usetex"),
    pytest.param("import matplotlib.pyplot as plt\nplt.rcParams['text.usetex'] = True", id="rcparams-usetex"),
    pytest.param("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.savefig('p.pdf', backend='module://this')",
                 id="savefig-backend-module"),
    pytest.param("import matplotlib.pyplot as plt\nplt.text(0.5, 0.5, '$x$', usetex=True)\nplt.savefig('u.png')",
                 id="text-usetex-runs-latex"),
    pytest.param("import matplotlib.pyplot as plt\nplt.rcParams['savefig.format'] = 'pgf'\nplt.plot([1])\n"
                 "plt.savefig('no_extension')", id="savefig-format-pgf-runs-latex"),
    pytest.param("import matplotlib.pyplot as plt\nfig = plt.figure()\n"
                 "fig.canvas.print_figure('x.png', 72, 'w', 'w', 'portrait', 'pgf')", id="print-figure-positional-format"),
    pytest.param("import pandas as pd\npd.DataFrame({'a': [1, 2]}).plot(backend='this')", id="df-plot-backend"),
    pytest.param("import pandas as pd\nwith pd.option_context('plotting.backend', 'this'):\n"
                 "    pd.DataFrame({'a': [1]}).plot()", id="pd-option-context-backend"),
]  # fmt: skip


@pytest.mark.parametrize("code", EXECUTION)
def test_libraries_do_not_run_code(session: SessionProcess, host_files: dict[str, str], code: str) -> None:
    with open(os.path.join(session.root, "evil_pickle.npy"), "wb") as upload:  # "uploaded" files
        upload.write(evil_pickle_npy())
    with zipfile.ZipFile(os.path.join(session.root, "evil_pickle.npz"), "w") as archive:
        archive.writestr("a.npy", evil_pickle_npy())
    attack(session, code, host_files)


# --- paths ----------------------------------------------------------------------------------

PATHS = [
    pytest.param("print(open('/etc/passwd').read())", "PermissionError", id="open-etc-passwd"),
    pytest.param("print(open('@SECRET@').read())", "PermissionError", id="open-host-absolute"),
    pytest.param("import pandas as pd\nprint(pd.read_csv('@SECRET@'))", "PermissionError", id="read-csv-host-absolute"),
    pytest.param("import numpy as np\nprint(np.loadtxt('/etc/passwd', dtype=str, delimiter=':'))", "PermissionError", id="loadtxt-passwd"),
    pytest.param("import matplotlib.pyplot as plt\nprint(plt.imread('/etc/passwd'))", "PermissionError", id="imread-passwd"),
    pytest.param("print(open('../../../../../../etc/passwd').read())", "PermissionError", id="dotdot-relative"),
    pytest.param("print(open('/mnt/data/../../etc/passwd').read())", "PermissionError", id="mnt-data-dotdot"),
    pytest.param("print(open('~/.bashrc').read(), 'PW' + 'NED')", "PermissionError", id="home-tilde"),
    pytest.param("import pandas as pd\nprint(pd.read_csv('file://@SECRET@'))", "PermissionError", id="file-url"),
    pytest.param("import pandas as pd\nprint(pd.read_csv('http://127.0.0.1:9/x.csv'), 'PW' + 'NED')", "PermissionError", id="http-url"),
    pytest.param("print(open(b'@SECRET@').read())", "PermissionError", id="bytes-path"),
    pytest.param("class P(str):\n    def startswith(self, *a):\n        return True\nprint(open(P('@SECRET@')).read())",
                 "PermissionError", id="str-subclass-lying-startswith"),
    pytest.param("import pandas as pd\nclass P(str):\n    def startswith(self, *a):\n        return True\n"
                 "print(pd.read_csv(P('@SECRET@')))", "PermissionError", id="str-subclass-read-csv"),
    pytest.param("def opener(path, flags):\n    return 0\nprint(open('x.txt', 'w', opener=opener), 'PW' + 'NED')",
                 "PermissionError", id="open-opener"),
    pytest.param("print(open(0).read(), 'PW' + 'NED')", "PermissionError", id="open-fd-number"),
    pytest.param("f = open('x.txt', 'w')\nprint(type(f.buffer.raw)('@SECRET@').read())", "AttributeError", id="fileio-class-from-raw"),
    pytest.param("f = open('x.txt', 'w')\nprint(type(f.detach().detach())('@SECRET@').read())", "AttributeError", id="fileio-from-detach"),
    pytest.param("import numpy as np\nnp.save('a.npy', np.arange(3))\nm = np.load('a.npy', mmap_mode='r')\n"
                 "print(type(m)('@SECRET@', dtype='uint8').tobytes())", "PermissionError", id="memmap-class-from-np-load"),
    pytest.param("import pandas as pd\npd.DataFrame({'a': [1]}).to_csv('c.csv')\nr = pd.read_csv('c.csv', chunksize=1)\n"
                 "print(type(r)('@SECRET@').read())", "PermissionError", id="textfilereader-class"),
    pytest.param("import numpy as np\nnp.savez('z.npz', a=np.arange(2))\nnpz = np.load('z.npz')\n"
                 "npz.zip.extractall('@HOSTDIR@')", "AttributeError", id="npz-zipfile"),
    pytest.param("import pandas as pd\npd.ExcelWriter('w.xlsx').book.save('@TARGET@')", "PermissionError", id="openpyxl-workbook-save"),
    pytest.param("import matplotlib.pyplot as plt\nt = plt.text(0, 0, 'x')\nt.get_fontproperties().set_file('@SECRET@')\n"
                 "plt.savefig('f.png')", "PermissionError", id="fontproperties-set-file"),
    pytest.param("import matplotlib.pyplot as plt\nplt.text(0, 0, 'x', fontproperties=':file=@SECRET@')\n"
                 "plt.savefig('f2.png')", "PermissionError", id="fontconfig-pattern-file"),
    pytest.param("import pandas as pd\nprint(pd.Timestamp('2020-01-01', tz='dateutil/@SECRET@'), 'PW' + 'NED')",
                 "PermissionError", id="dateutil-tz-file"),
    pytest.param("import matplotlib\nmatplotlib.Path('h.txt').hardlink_to('@SECRET@')\nprint(open('h.txt').read())",
                 "AttributeError", id="make-a-hard-link"),
    pytest.param("print(open('host_link.txt').read())", "PermissionError", id="symlink-in-data-dir"),
    pytest.param("import pandas as pd\nprint(pd.read_csv('/mnt/data/host_link.txt'))", "PermissionError", id="symlink-read-csv"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "error"), PATHS)
def test_paths_stay_in_mnt_data(session: SessionProcess, host_files: dict[str, str], code: str, error: str) -> None:
    link = os.path.join(session.root, "host_link.txt")
    if not os.path.lexists(link):  # as if an input file were a link to the host
        os.symlink(host_files["@SECRET@"], link)
    out = attack(session, code, host_files)
    assert out.error == error, out.logs  # refused, not opened and found unreadable


def test_other_sessions_files_are_out_of_reach(host_files: dict[str, str]) -> None:
    owner, other = host().spawn("owner", LIMITS), host().spawn("other", LIMITS)
    try:
        assert owner.run("f = open('secret.txt', 'w')\nf.write('TOP' + 'SECRET-A1')\nf.close()", LIMITS).error is None
        name = os.path.basename(owner.root)
        for code in (
            f"print(open('{owner.root}/secret.txt').read())",
            f"print(open('../{name}/secret.txt').read())",
            f"print(open('/mnt/data/../{name}/secret.txt').read())",
            f"import pandas as pd\nprint(pd.read_csv('{owner.root}/secret.txt'))",
            f"import numpy as np\nprint(np.loadtxt('../{name}/secret.txt', dtype=str))",
            "import matplotlib\nprint(matplotlib.Path('..').iterdir())",
        ):
            out = other.run(code, LIMITS)
            assert "TOPSECRET-A1" not in out.logs and out.error is not None, out
            assert out.limit is None
        answers(other)
        assert owner.run("print(open('/mnt/data/secret.txt').read())", LIMITS).logs == "TOPSECRET-A1\n"
    finally:
        owner.close()
        other.close()


# --- writes: no poisoning of shared code, and nothing outlives a session ---------------------

POISON = [
    pytest.param("import json\njson.dumps = lambda *a, **k: 'PW' + 'NED'", id="module-attribute-assign"),
    pytest.param("import json\nsetattr(json, 'dumps', lambda *a, **k: 'PW' + 'NED')", id="setattr-on-facade"),
    pytest.param("import json\ndel json.dumps", id="delattr-on-facade"),
    pytest.param("import pandas as pd\npd.DataFrame.to_csv = lambda *a, **k: print('PW' + 'NED')", id="class-attribute"),
    pytest.param("import numpy as np\nsetattr(np.ndarray, 'sum', lambda *a: 'PW' + 'NED')", id="c-class-attribute"),
    pytest.param("import numpy as np\nnp.linalg.norm = lambda *a: 'PW' + 'NED'", id="submodule-function"),
    pytest.param("import numpy as np\nnp.random.default_rng().normal.x = 1", id="builtin-method-attribute"),
    pytest.param("import math\nmath.pi += 1", id="inplace-module-attribute"),
    pytest.param("import matplotlib.pyplot as plt\nplt.rcParams = {}", id="replace-rcparams"),
]  # fmt: skip


@pytest.mark.parametrize("code", POISON)
def test_shared_code_cannot_be_poisoned(session: SessionProcess, host_files: dict[str, str], code: str) -> None:
    attack(session, code, host_files)
    check = ("import json, math, numpy as np, pandas as pd\n"
             "print(json.dumps({'a': 1}), round(math.pi, 2), np.arange(3).sum(), np.linalg.norm([3, 4]))\n"
             "pd.DataFrame({'a': [1]}).to_csv('ok.csv')")  # fmt: skip
    other_thread = host().spawn("other-thread", LIMITS)
    try:
        for process in (session, other_thread):  # neither this session nor another thread's sees a change
            out = process.run(check, LIMITS)
            assert out.logs == '{"a": 1} 3.14 3 5.0\n', out
    finally:
        other_thread.close()


def test_session_state_never_reaches_a_new_session() -> None:
    first = host().spawn("first", LIMITS)
    try:
        out = first.run(
            "import matplotlib.pyplot as plt, numpy as np, pandas as pd, random\n"
            "plt.rcParams['lines.linewidth'] = 9\nnp.set_printoptions(precision=1)\n"
            "pd.set_option('display.max_rows', 3)\nrandom.seed(1)\nshared = 'PW' + 'NED'",
            LIMITS,
        )
        assert out.error is None, out
    finally:
        first.close()
    second = host().spawn("second", LIMITS)
    try:
        out = second.run(
            "import matplotlib.pyplot as plt, numpy as np, pandas as pd\n"
            "print(plt.rcParams['lines.linewidth'], np.array([1.23456]), pd.get_option('display.max_rows'))\n"
            "print(shared)",
            LIMITS,
        )
        assert out.logs.splitlines()[0] == "1.5 [1.23456] 60", out.logs
        assert out.error == "NameError" and MARK not in out.logs
    finally:
        second.close()


# --- exceptions that try to leave the runner -----------------------------------------------

RAISES = [
    pytest.param("raise SystemExit(3)", "SystemExit", id="system-exit"),
    pytest.param("exit()", "NameError", id="exit-builtin"),
    pytest.param("raise KeyboardInterrupt", "KeyboardInterrupt", id="keyboard-interrupt"),
    pytest.param("raise GeneratorExit", "GeneratorExit", id="generator-exit"),
    pytest.param("class Out(BaseException):\n    pass\nraise Out()", "Out", id="base-exception-subclass"),
    pytest.param("class LimitExceeded(BaseException):\n    pass\nraise LimitExceeded()", "LimitExceeded",
                 id="limit-exceeded-lookalike"),
    pytest.param("class E(Exception):\n    def __init__(self):\n        self.args = (SystemExit(),)\nraise E()", "E",
                 id="exception-holding-system-exit"),
    pytest.param("import matplotlib.pyplot as plt\nfig = plt.figure()\n"
                 "def boom(event):\n    raise SystemExit('from a draw callback')\n"
                 "fig.canvas.mpl_connect('draw_event', boom)", None, id="system-exit-while-figures-are-drawn"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "error"), RAISES)
def test_exceptions_stay_in_the_cell(session: SessionProcess, code: str, error: str | None) -> None:
    out = session.run(code, LIMITS)
    assert out.limit is None, out
    assert out.error == error, out
    answers(session)


# --- Landlock, when the kernel has it --------------------------------------------------------


def test_landlock_blocks_reading_etc_passwd() -> None:
    """Defence in depth where the kernel has Landlock: a session reports it is restricted, and a process
    restricted the same way cannot read /etc/passwd even without any guard in the way."""
    guarded = host().spawn("landlocked", SandboxLimits(wall_seconds=10, cpu_seconds=3, landlock=True))
    try:
        if not guarded.landlock:
            pytest.skip("this kernel has no Landlock")
        out = guarded.run("print(open('/etc/passwd').read())", LIMITS)
        assert PASSWD not in out.logs and out.error == "PermissionError"
    finally:
        guarded.close()
    code = (
        "import sys\nfrom emulator.sandbox import landlock\n"
        "assert landlock.restrict([sys.prefix, sys.base_prefix, '/usr', '/lib'], [])\n"
        "try:\n    open('/etc/passwd').read()\nexcept PermissionError:\n    print('blocked')\n"
    )
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(landlock_module.__file__))))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=repo)
    assert result.stdout == "blocked\n", result


# --- what must keep working -----------------------------------------------------------------

LEGITIMATE = [
    pytest.param("x = 3.14159\nprint('{:.2f}'.format(x), '{x:>8.3f}'.format(x=x), '{0}-{1}'.format(1, 2))",
                 "3.14    3.142 1-2\n", id="str-format"),
    pytest.param("x = 2\nprint(f'{x:03d} {x!r} {x * 1.5:.1f} {\"a\":>3}')", "002 2 3.0   a\n", id="f-strings"),
    pytest.param("import json\nprint(json.dumps({'b': [1, 2]}, indent=None), json.loads('[1]'))",
                 '{"b": [1, 2]} [1]\n', id="json"),
    pytest.param("f = open('/mnt/data/in.csv', 'w')\nf.write('a,b\\n1,2\\n3,4\\n')\nf.close()\n"
                 "import pandas as pd\ndf = pd.read_csv('/mnt/data/in.csv')\nprint(df['b'].sum())",
                 "6\n", id="read-csv-own-file"),
    pytest.param("import pandas as pd\ndf = pd.DataFrame({'a': [1, 2]})\ndf.to_csv('out.csv', index=False)\n"
                 "print(open('/mnt/data/out.csv').read().split())", "['a', '1', '2']\n", id="to-csv"),
    pytest.param("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.savefig('/mnt/data/p.png')\n"
                 "print(open('p.png', 'rb').read()[:4])", "b'\\x89PNG'\n", id="savefig"),
    pytest.param("import matplotlib.pyplot as plt\nplt.style.use('dark_background')\n"
                 "print(plt.rcParams['figure.facecolor'])\nplt.style.use('default')", "black\n", id="style-use"),
    pytest.param("import matplotlib.pyplot as plt\nplt.rcParams['figure.figsize'] = (8, 4)\n"
                 "print(plt.figure().get_size_inches())", "[8. 4.]\n", id="rcparams-set"),
    pytest.param("import numpy as np\nrng = np.random.default_rng()\nprint(isinstance(rng.normal(), float), "
                 "rng.integers(0, 10, 3).shape)", "True (3,)\n", id="numpy-rng"),
    pytest.param("class Point:\n    def __init__(self, x):\n        self.x = x\n        self.y = x * 2\n"
                 "    def __eq__(self, other):\n        return self.x == other.x\n"
                 "p = Point(2)\np.y = p.y + 1\nprint(p.x, p.y, p == Point(2))", "2 5 True\n", id="user-classes"),
    pytest.param("import math, statistics, collections, itertools, datetime, re, functools\n"
                 "print(math.sqrt(16), statistics.mean([1, 2, 3]), collections.Counter('aab')['a'],\n"
                 "      list(itertools.islice(itertools.count(), 3)), datetime.date(2024, 1, 31).isoformat(),\n"
                 "      re.findall(r'\\d+', 'a1b22'), functools.reduce(lambda a, b: a + b, [1, 2, 3]))",
                 "4.0 2 2 [0, 1, 2] 2024-01-31 ['1', '22'] 6\n", id="stdlib"),
    pytest.param("import pandas as pd\ndf = pd.DataFrame({'g': ['a', 'a', 'b'], 'v': [1, 2, 3]})\n"
                 "print(df.groupby('g')['v'].agg('sum').tolist(), df.agg('max')['v'], df['v'].apply('sqrt').round(1).tolist(),"
                 " df.groupby('g').agg(total=('v', 'sum'))['total'].tolist())",
                 "[3, 3] 3 [1.0, 1.4, 1.7] [3, 3]\n", id="pandas-string-aggregations"),
    pytest.param("import pandas as pd\npd.DataFrame({'a': [1.5]}).to_excel('x.xlsx', index=False)\n"
                 "print(pd.read_excel('x.xlsx')['a'].tolist())", "[1.5]\n", id="excel-round-trip"),
    pytest.param("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2])\n"
                 "ax.xaxis.set_major_formatter('{x:.1f} km')\nbars = ax.bar([0], [2])\nax.bar_label(bars, fmt='{:.1f}')\n"
                 "fig.savefig('fmt.png')\nprint(ax.xaxis.get_major_formatter()(2))", "2.0 km\n", id="mpl-format-strings"),
    pytest.param("import pandas as pd\nax = pd.DataFrame({'a': [1, 3, 2]}).plot()\nprint(len(ax.get_lines()))",
                 "1\n", id="pandas-plot"),
    pytest.param("print(type(3) is int, type(int) is type, type('a') == str, isinstance(3, (int, float)))",
                 "True True True True\n", id="type-builtin"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "expected"), LEGITIMATE)
def test_legitimate_code_still_works(session: SessionProcess, code: str, expected: str) -> None:
    out = session.run(code, LIMITS)
    assert (out.logs, out.error) == (expected, None)
