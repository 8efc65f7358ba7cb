"""Lines a test program marks for its test with `// LINE: what` comments."""

import re


def marked_lines(source):
    """{"what": line number, ...} from the program's `// LINE: what` comments (1-based)."""
    lines = {}
    for number, text in enumerate(source.read_text().splitlines(), start=1):
        m = re.search(r"// LINE: (.+)$", text)
        if m:
            lines[m.group(1).strip()] = number
    return lines
