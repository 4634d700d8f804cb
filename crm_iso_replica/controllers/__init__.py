from . import read_your_writes
