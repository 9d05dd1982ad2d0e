import CheckCircleOutline from '@mui/icons-material/CheckCircleOutline';
import ScheduleOutlined from '@mui/icons-material/ScheduleOutlined';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import type SvgIcon from '@mui/material/SvgIcon';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * An honest empty state for a page whose feature is not built yet: what the page will do, in a few
 * sentences, and that it comes in a later version.
 */
export function ComingSoon({
  icon: Icon,
  title,
  body,
  features,
  children,
}: {
  icon: typeof SvgIcon;
  title: string;
  body: string;
  features?: string[];
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Card sx={{ px: { xs: 3, md: 6 }, py: { xs: 4, md: 5 } }}>
      <Stack spacing={2.5} sx={{ alignItems: 'flex-start', maxWidth: 880, mx: 'auto' }}>
        <Stack direction="row" spacing={2.5} sx={{ alignItems: 'center' }}>
          <Box
            aria-hidden
            sx={(theme) => ({
              width: 64,
              height: 64,
              flex: 'none',
              borderRadius: 4,
              display: 'grid',
              placeItems: 'center',
              color: 'primary.main',
              bgcolor: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.16 : 0.09),
            })}
          >
            <Icon sx={{ fontSize: 34 }} />
          </Box>
          <Stack spacing={0.75} sx={{ alignItems: 'flex-start' }}>
            <Chip
              size="small"
              variant="outlined"
              icon={<ScheduleOutlined />}
              label={t('comingLater')}
              sx={{ color: 'text.secondary' }}
            />
            <Typography variant="h2" component="h2">
              {title}
            </Typography>
          </Stack>
        </Stack>
        <Typography sx={{ color: 'text.secondary', maxWidth: '72ch' }}>{body}</Typography>
        {children}
        {features && features.length > 0 && (
          <Box
            component="ul"
            sx={{
              listStyle: 'none',
              p: 0,
              m: 0,
              width: '100%',
              display: 'grid',
              gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' },
              gap: 1.25,
            }}
          >
            {features.map((feature) => (
              <Stack
                key={feature}
                component="li"
                direction="row"
                spacing={1.25}
                sx={{ alignItems: 'center', py: 1.25, px: 1.5, borderRadius: 2, bgcolor: 'action.hover' }}
              >
                <CheckCircleOutline sx={{ fontSize: 20, color: 'primary.main', flex: 'none' }} aria-hidden />
                <Typography variant="body2">{feature}</Typography>
              </Stack>
            ))}
          </Box>
        )}
      </Stack>
    </Card>
  );
}
