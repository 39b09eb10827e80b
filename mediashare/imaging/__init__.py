"""Pure image operations: NumPy/OpenCV/Pillow arrays in, arrays out. Imports nothing of ours."""
