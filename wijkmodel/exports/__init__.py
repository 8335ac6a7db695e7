"""What goes to the steering group: the briefing's slides, the deck, the PDF report, the workbook, static images."""
