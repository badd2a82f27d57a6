"""Small programs the default model writes for code_interpreter, from the user's words.

`write(message, data_file)` returns Python for the first task the message asks for, or None:
- the first N Fibonacci numbers ("first 20 fibonacci numbers"; 10 when no N);
- primes below N / up to N, or the first N primes;
- the factorial of N ("factorial of 10", "10!");
- sorting the numbers the message gives (descending when it says so), or their sum, mean,
  median, product, minimum or maximum ("sum of 3, 4 and 5", "average of 2 4 9");
- a system of linear equations ("2x + 3y = 7 and x - y = 1"), solved with numpy;
- statistics (mean, median, sum, min, max, standard deviation, count) of a column of an
  attached data file, the column named in the message (else every numeric column);
- a multiplication table ("a 10x10 times table"), drawn too when a chart is asked for
  (`times_table`, which the analyst asks before plotting).
The code prints its answer; the reply quotes what it printed.
"""

from __future__ import annotations

import re

from .base import CodeFile

_INT = re.compile(r"\b\d+\b")
_NUMBERS = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.]*\w)")
_STATS = {
    "mean": ("mean", "average", "avg"),
    "median": ("median",),
    "sum": ("sum", "total"),
    "min": ("min", "minimum", "lowest", "smallest"),
    "max": ("max", "maximum", "highest", "largest", "biggest"),
    "std": ("standard deviation", "std", "stdev"),
    "count": ("count", "how many"),
    "prod": ("product",),
}
_MATH = r"(?:[-+*/().\d\s^]|(?<![a-z])[a-z](?![a-z]))+"
_SEGMENT = re.compile(r"[,;:]|\band\b|\.\s|\?")


def write(message: str, data: CodeFile | None = None, *, numbers: bool = True) -> str | None:
    """`numbers=False`: only the statistics of a file (the numbers in the message are not the task's)."""
    lowered = message.lower()
    for program in (_fibonacci, _primes, _factorial, _linear_system) if numbers else ():
        code = program(lowered)
        if code is not None:
            return code
    if data is not None:
        code = _column_statistics(lowered, data)
        if code is not None:
            return code
    return _numbers_task(lowered) if numbers else None


def _first_int(text: str, default: int) -> int:
    found = _INT.search(text)
    return int(found.group()) if found else default


def _fibonacci(message: str) -> str | None:
    if "fibonacci" not in message:
        return None
    n = min(_first_int(message, 10), 10_000)
    return f"""def fibonacci(n):
    numbers = []
    a, b = 0, 1
    for _ in range(n):
        numbers.append(a)
        a, b = b, a + b
    return numbers

numbers = fibonacci({n})
print(f"The first {n} Fibonacci numbers: {{', '.join(str(x) for x in numbers)}}")
"""


def _primes(message: str) -> str | None:
    if not re.search(r"\bprimes?\b|\bprime numbers?\b", message):
        return None
    n = min(_first_int(message, 100), 1_000_000)
    if re.search(rf"\bfirst\s+{n}\b", message):
        return f"""def is_prime(k):
    if k < 2:
        return False
    d = 2
    while d * d <= k:
        if k % d == 0:
            return False
        d += 1
    return True

primes = []
k = 2
while len(primes) < {n}:
    if is_prime(k):
        primes.append(k)
    k += 1
print(f"The first {n} primes: {{', '.join(str(p) for p in primes)}}")
"""
    inclusive = re.search(r"up to|through|to \d|less than or equal|<=|at most", message) is not None
    limit, words = (n + 1, f"up to {n}") if inclusive else (n, f"below {n}")
    return f"""# Sieve of Eratosthenes
limit = {limit}
sieve = [True] * max(limit, 2)
sieve[0] = sieve[1] = False
for k in range(2, int(limit ** 0.5) + 1):
    if sieve[k]:
        for multiple in range(k * k, limit, k):
            sieve[multiple] = False
primes = [k for k in range(limit) if sieve[k]]
print(f"{{len(primes)}} primes {words}: {{', '.join(str(p) for p in primes)}}")
"""


def _factorial(message: str) -> str | None:
    match = re.search(r"factorial\s+(?:of\s+)?(\d+)|(\d+)\s*!|(\d+)\s+factorial", message)
    if match is None:
        return None
    n = int(next(g for g in match.groups() if g))
    if n > 5000:
        return None
    return f"""import math

print(f"{n}! = {{math.factorial({n})}}")
"""


def _linear_system(message: str) -> str | None:
    equations = []
    for segment in _SEGMENT.split(message):
        if segment.count("=") != 1:
            continue
        before, after = segment.split("=")
        left, right = re.search(_MATH + "$", before), re.match(_MATH, after)
        if left and right and left.group().strip() and right.group().strip():
            equations.append((left.group().strip(), right.group().strip()))
    names = sorted({v for lhs, rhs in equations for v in re.findall(r"(?<![a-z])([a-z])(?![a-z])", lhs + " " + rhs)})
    if len(equations) < 2 or not 2 <= len(names) <= len(equations):
        return None
    sides = [(_python(lhs, names), _python(rhs, names)) for lhs, rhs in equations]
    params = ", ".join(names)
    rows = "\n".join(f"    lambda {params}: ({lhs}) - ({rhs})," for lhs, rhs in sides)
    shown = "; ".join(f"{lhs} = {rhs}" for lhs, rhs in equations)
    asked = asked_expression(message, names)
    answer = ""
    if asked is not None:
        answer = f"""    {params} = solution
    print(f"{asked} = {{show({_python(asked, names)})}}")
"""
    return f"""import numpy as np

# {shown}: each f(v) = left - right is linear, so A v = b
equations = [
{rows}
]
names = {names!r}
zero = [0.0] * len(names)
A = []
b = []
for f in equations:
    base = f(*zero)
    A.append([f(*[1.0 if i == j else 0.0 for i in range(len(names))]) - base for j in range(len(names))])
    b.append(-base)
A = np.array(A)
b = np.array(b)
solution, residuals, rank, singular = np.linalg.lstsq(A, b, rcond=None)


def show(value):
    value = round(float(value), 9) + 0.0  # no -0, no 1e-12 noise
    return f"{{value:g}}"


if rank < len(names):
    print("No unique solution: the equations are not independent.")
else:
    print(", ".join(f"{{name}} = {{show(value)}}" for name, value in zip(names, solution)))
{answer}"""


#: "the sum / product / difference / quotient / ratio of x and y"
_NAMED_OPERATION = re.compile(r"\b(sum|product|difference|quotient|ratio)\s+of\s+([a-z])\s+and\s+([a-z])\b")
_OPERATIONS = {"sum": "+", "product": "*", "difference": "-", "quotient": "/", "ratio": "/"}


def asked_expression(message: str, names: list[str]) -> str | None:
    """The expression of the unknowns a question asks for besides the equations ("what is the
    value of x - y", "find x + 2y", "the product of x and y"), as written; None when it asks
    only for the unknowns."""
    named = _NAMED_OPERATION.search(message)
    if named and named.group(2) in names and named.group(3) in names:
        return f"{named.group(2)} {_OPERATIONS[named.group(1)]} {named.group(3)}"
    for segment in _SEGMENT.split(message):
        if "=" in segment:
            continue
        for found in re.finditer(_MATH, segment):
            text = found.group().strip().strip(".")
            letters = set(re.findall(r"[a-z]", text))
            if not letters or not letters <= set(names) or not re.search(r"[-+*/^]|\d\s*[a-z]", text):
                continue
            try:
                compile(_python(text, names), "<expression>", "eval")
            except SyntaxError:
                continue
            return " ".join(text.split())
    return None


def _python(text: str, names: list[str]) -> str:
    text = " ".join(text.replace("^", "**").split())
    letters = "".join(names)
    text = re.sub(rf"(\d)\s*([{letters}(])", r"\1*\2", text)
    text = re.sub(rf"([{letters})])\s*(\()", r"\1*\2", text)
    return text


def _stats_named(message: str) -> list[str]:
    """The statistics the message asks for, in the order it names them."""
    found = {}
    for key, words in _STATS.items():
        at = [m.start() for w in words for m in re.finditer(rf"\b{w}\b", message)]
        if at:
            found[key] = min(at)
    return sorted(found, key=found.__getitem__)


_TIMES = re.compile(r"multiplication (?:table|chart|grid|matrix)|times[ -]tables?")


def times_table(message: str, *, chart: bool = False) -> str | None:
    """A multiplication table ("a 10x10 times table", "multiplication chart for 1-12"; 10 x 10 when no size),
    printed, and drawn as a grid when `chart`."""
    if not _TIMES.search(message):
        return None
    size = re.search(r"(\d+)\s*[x×]\s*(\d+)", message) or re.search(r"\b1\s*-\s*(\d+)\b.*?\b1\s*-\s*(\d+)\b", message)
    single = re.search(r"\b(?:1\s*-\s*|up to |to )(\d+)\b", message)
    rows, columns = (
        (int(size.group(1)), int(size.group(2))) if size else (int(single.group(1)),) * 2 if single else (10, 10)
    )
    rows, columns = max(1, min(rows, 30)), max(1, min(columns, 30))
    drawing = ""
    if chart:
        drawing = f"""
fig, ax = plt.subplots(figsize=(8, 8))
ax.imshow(table, cmap="Blues")
for i in range(len(rows)):
    for j in range(len(columns)):
        ax.text(j, i, str(table[i][j]), ha="center", va="center", fontsize=8)
ax.set_xticks(range(len(columns)), labels=[str(c) for c in columns])
ax.set_yticks(range(len(rows)), labels=[str(r) for r in rows])
ax.set_title("{rows} x {columns} multiplication table")
plt.show()
"""
    header = "import matplotlib.pyplot as plt\n\n" if chart else ""
    return f"""{header}rows = range(1, {rows + 1})
columns = range(1, {columns + 1})
table = [[r * c for c in columns] for r in rows]
width = len(str({rows * columns}))
print("x".rjust(width) + " | " + " ".join(str(c).rjust(width) for c in columns))
for r, line in zip(rows, table):
    print(str(r).rjust(width) + " | " + " ".join(str(v).rjust(width) for v in line))
{drawing}"""


def _column_statistics(message: str, data: CodeFile) -> str | None:
    stats = _stats_named(message)
    if not stats and not re.search(r"\bstatistics?\b|\bstats\b", message):
        return None
    request = " ".join(message.split()).replace('"', "'")
    read = reader(data)
    wanted = stats or ["count", "mean", "std", "min", "median", "max"]
    return f'''import pandas as pd

df = {read}
request = "{request}"
numeric = df.select_dtypes("number")
columns = [c for c in df.columns if str(c).lower() in request] or list(numeric.columns)
for column in columns:
    values = pd.to_numeric(df[column], errors="coerce").dropna()
    results = {{"count": values.count(), "mean": values.mean(), "median": values.median(), "sum": values.sum(),
               "min": values.min(), "max": values.max(), "std": values.std(), "prod": values.prod()}}
    print(f"{{column}}: " + ", ".join(f"{{name}} = {{results[name]:g}}" for name in {wanted!r}))
'''


def reader(file: CodeFile) -> str:
    """The pandas call that reads an attached data file, by its extension."""
    extension = file.filename.rsplit(".", 1)[-1].lower()
    if extension in ("xlsx", "xls"):
        return f'pd.read_excel("{file.path}")'
    if extension == "json":
        return f'pd.read_json("{file.path}")'
    if extension in ("tsv", "txt"):
        return f'pd.read_csv("{file.path}", sep=None, engine="python", thousands=",")'
    return f'pd.read_csv("{file.path}", thousands=",")'  # numbers written "1,050.7" are numbers


def _numbers_task(message: str) -> str | None:
    numbers = _NUMBERS.findall(message)
    if len(numbers) < 2:
        return None
    values = "[" + ", ".join(numbers) + "]"
    if re.search(r"\bsort|\border\b|\barrange", message):
        reverse = re.search(r"descend|reverse|largest first|highest first|decreasing", message) is not None
        return f"""numbers = {values}
print(sorted(numbers, reverse={reverse}))
"""
    stats = _stats_named(message)
    if not stats:
        return None
    lines = {
        "mean": 'print(f"mean = {statistics.mean(numbers):g}")',
        "median": 'print(f"median = {statistics.median(numbers):g}")',
        "sum": 'print(f"sum = {sum(numbers):g}")',
        "min": 'print(f"min = {min(numbers):g}")',
        "max": 'print(f"max = {max(numbers):g}")',
        "std": 'print(f"standard deviation = {statistics.stdev(numbers):g}")',
        "count": 'print(f"count = {len(numbers)}")',
        "prod": 'print(f"product = {math.prod(numbers):g}")',
    }
    body = "\n".join(lines[s] for s in stats)
    return f"import math\nimport statistics\n\nnumbers = {values}\n{body}\n"
