from . import test_odoo_internals
from . import test_read_your_writes
from . import test_replica_fault
