"""The provincial office's application: the facility report template, the submissions store,
completeness and plan indicators, obligation screening, REDD+ results, waste scenarios and
Form 06. It builds on the library core and may use :mod:`ghg_inventory.analysis`."""
