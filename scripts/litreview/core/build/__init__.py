"""The site-wide step: what every generator does once its pages are converted."""
