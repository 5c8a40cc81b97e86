"""One langdetect code per input line (stdin to stdout); "und" on failure."""
import sys

from langdetect import DetectorFactory, detect
from langdetect.lang_detect_exception import LangDetectException

DetectorFactory.seed = 0
for line in sys.stdin.buffer:
    text = line.decode("utf-8", "replace").rstrip("\r\n")
    try:
        code = detect(text)
    except LangDetectException:
        code = "und"
    sys.stdout.write(code + "\n")
