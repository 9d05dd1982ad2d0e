import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Snackbar from '@mui/material/Snackbar';

import { ErrorDetails } from '../components/ErrorDetails.js';
import { selectFeedback, useFeedbackStore, type Feedback } from '../stores/feedbackStore.js';
import { monoFontFamily } from '../theme/theme.js';

function FeedbackContent({ feedback, onClose }: { feedback: Feedback; onClose: () => void }) {
  switch (feedback.kind) {
    case 'success':
      return (
        <Alert data-testid="feedback" severity="success" variant="filled" onClose={onClose}>
          {feedback.text}
        </Alert>
      );
    case 'warning':
      return (
        <Alert
          data-testid="feedback"
          severity="warning"
          variant="filled"
          onClose={onClose}
          sx={{ maxWidth: 560 }}
        >
          {feedback.text}
          {feedback.detail !== undefined && (
            <Box
              component="code"
              translate="no"
              sx={{
                display: 'block',
                mt: 0.5,
                fontFamily: monoFontFamily,
                wordBreak: 'break-all',
                userSelect: 'all',
              }}
            >
              {feedback.detail}
            </Box>
          )}
        </Alert>
      );
    case 'error':
      return (
        <Alert
          data-testid="feedback"
          severity="error"
          variant="filled"
          onClose={onClose}
          sx={{ maxWidth: 560 }}
        >
          <AlertTitle>{feedback.text}</AlertTitle>
          <ErrorDetails error={feedback.error} />
        </Alert>
      );
  }
}

export function FeedbackSnackbar() {
  const feedback = useFeedbackStore(selectFeedback);
  const close = useFeedbackStore((state) => state.close);
  if (!feedback) return null;
  const onClose = () => {
    close(feedback.id);
  };
  return (
    <Snackbar
      key={feedback.id}
      open
      anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      autoHideDuration={feedback.kind === 'success' ? 3000 : 10000}
      onClose={(_event, reason) => {
        if (reason !== 'clickaway') onClose();
      }}
    >
      <div>
        <FeedbackContent feedback={feedback} onClose={onClose} />
      </div>
    </Snackbar>
  );
}
