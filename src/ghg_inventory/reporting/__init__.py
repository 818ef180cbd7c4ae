"""What a person reads: the HTML report and its workbook, and roll-up tables for the terminal."""
