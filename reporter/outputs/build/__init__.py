"""The outputs of build: aggregation, the context, charts, the Word report, the Excel summary, the PDF."""
