"""Why gates remember: the recall task, its model, and RNN, LSTM and GRU trained side by side."""
