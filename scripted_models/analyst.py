"""The default model's code_interpreter behaviour: a deterministic data analyst.

When the run has the code_interpreter tool, the default model, on the latest user message:
1. a fenced python block: runs exactly that code, then replies with what it produced;
2. "show me the code": shows the code that last ran in this thread, in a python block;
3. "dark mode": reruns the last plotting code with the `dark_background` style;
4. a request to plot or visualise a named function (sine, cosine, tangent, exponential,
   logarithm, square root, parabola, cubic, gaussian, sigmoid) or the data of an attached
   CSV/XLSX/JSON file (the columns named in the message, else every numeric column; the rows
   whose text the message names; saved under /mnt/data when the message asks for the file):
   writes and runs matplotlib code, then shows the image;
5. a request to describe or summarise an attached data file: runs `describe()` on it;
6. a small program (see `programs`): Fibonacci numbers, primes, a factorial, sorting or summing
   the message's numbers, a system of linear equations, statistics of an attached file's column,
   a multiplication table (asked before plotting: "a times table chart" is that table, drawn);
7. arithmetic (see `arithmetic`: the whole expression, with precedence and parentheses) or a
   linear equation ("solve 3x + 11 = 14"): computes it with code.
After the code ran, the reply shows the images (as `image_file` blocks, which the engine
adds), the printed output, links to written files (`sandbox:/mnt/data/...`), or the error.
Anything else: None, and the default model replies with `CAPABILITIES`.
"""

from __future__ import annotations

import math
import re

from . import arithmetic, programs
from .base import Action, CodeFile, CodeRun, ModelInput, Reply, RunCode
from .templates import code_blocks

#: The reply to a request the analyst has no code for: what the default model can do.
CAPABILITIES = (
    "I am the emulator's default model, and I have no code for that request. With code_interpreter I can: "
    "run the Python you send in a fenced block; compute arithmetic (2^10 + 5, 15% of 80, 10 - 4 raised to "
    "the 2.7, the square root of 2); solve a linear equation or a system of them; list the first N Fibonacci "
    "numbers, the primes below N, a factorial; sort, sum or average the numbers you give; plot a named function "
    "or an attached data file; describe an attached file or give statistics of its columns. For anything else, "
    "register a scripted model (see the emulator's docs, Scripted models)."
)

#: name -> (words that name it, numpy expression of x, x range, title)
FUNCTIONS: dict[str, tuple[tuple[str, ...], str, str, str]] = {
    "sine": (("sine", "sinewave", "sin"), "np.sin(x)", "0, 4 * np.pi", "Sine Wave"),
    "cosine": (("cosine", "cos"), "np.cos(x)", "0, 4 * np.pi", "Cosine Wave"),
    "tangent": (("tangent", "tan"), "np.tan(x)", "-1.5, 1.5", "Tangent"),
    "exponential": (("exponential", "exp"), "np.exp(x)", "-2, 3", "Exponential Function"),
    "logarithm": (("logarithm", "logarithmic", "log", "ln"), "np.log(x)", "0.05, 10", "Natural Logarithm"),
    "square root": (("square root", "sqrt"), "np.sqrt(x)", "0, 10", "Square Root"),
    "parabola": (("parabola", "quadratic", "square", "x squared", "x^2", "x\\*\\*2"), "x ** 2", "-5, 5", "Parabola"),
    "cubic": (("cubic", "cube", "x cubed", "x^3"), "x ** 3", "-3, 3", "Cubic Function"),
    "gaussian": (("gaussian", "normal distribution", "bell curve"), "np.exp(-x ** 2 / 2) / np.sqrt(2 * np.pi)",
                 "-4, 4", "Gaussian (Standard Normal) Distribution"),
    "sigmoid": (("sigmoid", "logistic"), "1 / (1 + np.exp(-x))", "-8, 8", "Sigmoid Function"),
}  # fmt: skip
DATA_EXTENSIONS = ("csv", "xlsx", "xls", "json", "tsv", "txt")

_PLOT = re.compile(r"\b(plot|graph|chart|visuali[sz]\w*|draw|sketch|diagram|histogram)\b", re.I)
_SHOW_CODE = re.compile(r"\b(show|give|display|share|see|print)\b.{0,40}\bcode\b|\bcode you used\b", re.I)
_DARK = re.compile(r"dark\s*-?\s*mode|dark(er)? (theme|background|colou?rs?|style)|darkmode", re.I)
_DESCRIBE = re.compile(r"\b(describe|summari[sz]\w*|statistics|analy[sz]\w*|overview)\b", re.I)
_EQUATION = re.compile(r"([-+*/().\d\sxX^]*[xX][-+*/().\d\sxX^]*)=([-+*/().\d\sxX^]+)")
#: A bound of an x range: 2, -1.5, pi, 2*pi, 2pi, -pi/2, 3π/4.
_BOUND = r"(-)?\s*(\d+(?:\.\d+)?)?\s*\*?\s*(pi|π)?\s*(?:/\s*(\d+(?:\.\d+)?))?"
#: "from A to B", "between A and B", "x in [A, B]", "for x = A..B".
_SPAN = re.compile(
    rf"(?:\bfrom|\bbetween|\bx\s*(?:=|in|∈)\s*[\[(]?)\s*{_BOUND}\s*(?:\bto\b|\band\b|,|\.\.|–)\s*{_BOUND}", re.I
)


def respond(model_input: ModelInput, *, math: bool = True) -> list[Action] | None:
    """`math=False`: leave numbers in the message alone (a file_search question like "sales in
    2023-2024" is not a subtraction)."""
    if "code_interpreter" not in model_input.tool_types():
        return None
    ran = model_input.code_runs_this_run()
    if ran:
        return [Reply(_report(model_input.last_user_message, ran))]
    code = write_code(model_input, math=math)
    if code is not None:
        return [RunCode(code)]
    message = model_input.last_user_message
    if _SHOW_CODE.search(message):
        last = _last(model_input.code_runs)
        if last is None:
            return [Reply("I have not run any code in this conversation yet.")]
        return [Reply(f"Here is the code I used:\n\n```python\n{last.code.rstrip()}\n```")]
    if _DARK.search(message):
        return [Reply("There is no visualization to restyle yet: ask me to plot something first.")]
    return None


def write_code(model_input: ModelInput, *, math: bool = True) -> str | None:
    """The code the analyst runs for the latest user message, if it calls for code."""
    message = model_input.last_user_message
    blocks = code_blocks(message)
    if blocks:
        return "\n\n".join(block.rstrip() for block in blocks) + "\n"
    if _SHOW_CODE.search(message):
        return None
    if _DARK.search(message):
        last = _last(model_input.code_runs, plotting=True)
        return None if last is None else dark(last.code)
    data = _data_file(model_input.code_files)
    plotting = _PLOT.search(message) is not None
    table = programs.times_table(message.lower(), chart=plotting)
    if table is not None:
        return table
    if plotting:
        function = _function(message)
        if function is not None:
            return plot_function(function, span(message))
        if data is not None:
            return plot_data(data, message)
        numbers = re.findall(r"-?\d+(?:\.\d+)?", message)
        if len(numbers) >= 3:
            return plot_numbers([float(n) for n in numbers])
        return None
    program = programs.write(message, data, numbers=math)
    if program is not None:
        return program
    if data is not None and _DESCRIBE.search(message):
        return describe_data(data)
    return solve(message) if math else None


def _last(runs: tuple[CodeRun, ...], *, plotting: bool = False) -> CodeRun | None:
    for run in reversed(runs):
        if not run.failed and (not plotting or run.images):
            return run
    return None if plotting else (runs[-1] if runs else None)


def _function(message: str) -> str | None:
    lowered = message.lower()
    for name, (words, *_rest) in FUNCTIONS.items():
        if any(re.search(rf"\b{word}(s|\b)", lowered) for word in words):
            return name
    return None


def _data_file(files: tuple[CodeFile, ...]) -> CodeFile | None:
    for file in reversed(files):
        if file.filename.rsplit(".", 1)[-1].lower() in DATA_EXTENSIONS:
            return file
    return None


def span(message: str) -> str | None:
    """The x range a message asks for ("from 0 to 2*pi" gives `0, 2 * np.pi`), if it names one
    whose lower bound is below its upper."""
    match = _SPAN.search(message)
    if match is None:
        return None
    bounds = [_bound(*match.groups()[i : i + 4]) for i in (0, 4)]
    if None in bounds or not bounds[0][1] < bounds[1][1]:
        return None
    return f"{bounds[0][0]}, {bounds[1][0]}"


def _bound(minus: str | None, number: str | None, pi: str | None, divisor: str | None) -> tuple[str, float] | None:
    """A bound as numpy code and as its value."""
    if number is None and pi is None:
        return None
    value = float(number or 1) * (math.pi if pi else 1) / float(divisor or 1)
    if pi:
        code = "np.pi" if number is None else f"{number} * np.pi"
    else:
        code = number or ""
    if divisor:
        code = f"{code} / {divisor}"
    return (f"-{code}" if minus else code), (-value if minus else value)


def plot_function(name: str, x_range: str | None = None) -> str:
    _words, expression, default_range, title = FUNCTIONS[name]
    span = x_range or default_range
    label = expression.replace("np.", "")
    return f'''import numpy as np
import matplotlib.pyplot as plt

# Sample x and compute y = {label}
x = np.linspace({span}, 1000)
y = {expression}

plt.figure(figsize=(10, 5))
plt.plot(x, y, label="y = {label}")
plt.title("{title}")
plt.xlabel("x")
plt.ylabel("y")
plt.grid(True)
plt.legend()
plt.show()
'''


#: The user asks for the chart as a file ("provide the file to me", "save it as a PNG", "export the plot").
_AS_FILE = re.compile(
    r"\b(provide|download|save|export|attach|send)\w*\b[^.?!]{0,40}?\b(file|png|image|chart|plot|graph|figure|it)\b",
    re.I,
)


def plot_data(file: CodeFile, message: str) -> str:
    """Matplotlib code plotting an attached data file: the numeric columns the message names
    (`operating_profit` as "operating profit"), else all of them; only the rows whose text
    column holds a value the message names ("in the TRANSPORTATION sector"); saved as a PNG
    under /mnt/data when the message asks for the file."""
    kind = "bar" if re.search(r"\bbar", message, re.I) else "hist" if re.search(r"histogram", message, re.I) else "line"
    request = " ".join(message.lower().split()).replace('"', "'")
    save = ""
    if _AS_FILE.search(message):
        save = f"""path = "/mnt/data/" + "_".join(str(c) for c in columns)[:60] + "_{kind}_chart.png"
plt.savefig(path)
print(f"Saved the chart as {{path}}")
"""
    return f'''import re

import pandas as pd
import matplotlib.pyplot as plt

# {file.filename}
df = {programs.reader(file)}
numeric = df.select_dtypes("number")
request = "{request}"


def named(value):
    text = str(value).lower()
    return any(re.search(r"\\b" + re.escape(form) + r"\\b", request) for form in {{text, text.replace("_", " ")}})


columns = [c for c in numeric.columns if named(c)] or list(numeric.columns)
labels = [c for c in df.columns if c not in numeric.columns]
rows = ""
for label in labels:  # rows whose text the request names
    values = [v for v in df[label].dropna().unique() if len(str(v)) > 2 and named(v)]
    if values and df[label].isin(values).any():
        df = df[df[label].isin(values)]
        rows += f" where {{label}} is " + " or ".join(str(v) for v in values)

ax = df.plot(x=labels[0] if labels and "{kind}" != "hist" else None, y=columns, kind="{kind}", figsize=(10, 5))
ax.set_title("{file.filename}: " + ", ".join(str(c) for c in columns) + rows)
ax.grid(True)
plt.tight_layout()
{save}plt.show()
print(f"Plotted {{len(columns)}} column(s) over {{len(df)}} rows{{rows}}: {{', '.join(str(c) for c in columns)}}")
'''


def plot_numbers(values: list[float]) -> str:
    return f"""import matplotlib.pyplot as plt

values = {values!r}
plt.figure(figsize=(10, 5))
plt.plot(range(1, len(values) + 1), values, marker="o")
plt.title("Values")
plt.xlabel("index")
plt.ylabel("value")
plt.grid(True)
plt.show()
"""


def describe_data(file: CodeFile) -> str:
    return f"""import pandas as pd

df = {programs.reader(file)}
print(f"{{len(df)}} rows, {{len(df.columns)}} columns: {{', '.join(str(c) for c in df.columns)}}")
print()
print(df.describe(include="all").to_string())
"""


def dark(code: str) -> str:
    """The same plotting code, drawn with a dark style."""
    lines = [line for line in code.splitlines() if "plt.style.use(" not in line]
    at = 0
    for n, line in enumerate(lines):
        if line.startswith(("import ", "from ")):
            at = n + 1
    styled = [*lines[:at], "", "# Dark mode", 'plt.style.use("dark_background")', *lines[at:]]
    if not any(re.match(r"import matplotlib\.pyplot as plt|from matplotlib import pyplot as plt", li) for li in lines):
        styled.insert(0, "import matplotlib.pyplot as plt")
    return "\n".join(styled) + "\n"


def solve(message: str) -> str | None:
    """Code for arithmetic or a linear equation in x found in the message."""
    equation = _EQUATION.search(message)
    if equation is not None:
        left, right = (_python(side) for side in equation.groups())
        if left and right:
            return f"""# Solve {equation.group(0).strip()} for x: f(x) = left - right is linear in x
def f(x):
    return ({left}) - ({right})

slope = f(1) - f(0)
if slope == 0:
    print("No unique solution: x cancels out.")
else:
    x = -f(0) / slope
    print(f"x = {{x:g}}")
"""
    tree = arithmetic.find(message)
    if tree is not None:
        code = arithmetic.python(tree)
        imports = "import math\n\n" if "math." in code else ""
        return f"{imports}# {tree.text()}\nresult = {code}\nresult\n"
    return None


def _python(text: str) -> str:
    """Math as the user wrote it, as Python: 3x -> 3*x, ^ -> **."""
    text = " ".join(text.replace("X", "x").replace("^", "**").split())
    text = re.sub(r"(\d)\s*(x|\()", r"\1*\2", text)
    text = re.sub(r"\)\s*(\d|x|\()", r")*\1", text)
    return text.strip()


def _report(message: str, ran: tuple[CodeRun, ...]) -> str:
    """The reply once the code has run."""
    last = ran[-1]
    if last.failed:
        return f"The code raised an error:\n\n```\n{last.logs.rstrip()}\n```"
    parts = []
    images = [image for run in ran for image in run.images]
    if images:
        if _DARK.search(message):
            parts.append("Here is the dark mode version of the visualization.")
        else:
            function = _function(message)
            what = (
                f" of a {function} wave"
                if function in ("sine", "cosine")
                else f" of the {function}"
                if function
                else ""
            )
            parts.append(f"Here is the visualization{what}.")
    if last.logs.strip():
        output = last.logs.rstrip()
        parts.append(f"The code printed:\n\n```\n{output}\n```" if "\n" in output or images else f"Result: {output}")
    for name, _file_id in last.files:
        parts.append(f"[Download {name}](sandbox:/mnt/data/{name})")
    if not parts:
        parts.append("The code ran without output.")
    return "\n\n".join(parts)
