from . import crm_iso_chart_board
