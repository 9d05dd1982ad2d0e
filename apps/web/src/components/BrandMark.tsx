import Box from '@mui/material/Box';

/**
 * The seal: 丹 in white on cinnabar, like a red name stamp. The character is drawn by CSS so it is
 * decoration, not text: screen readers and the page text see only the brand name beside it.
 */
export function BrandMark({ size = 36 }: { size?: number }) {
  return (
    <Box
      aria-hidden
      sx={{
        width: size,
        height: size,
        flex: 'none',
        borderRadius: `${Math.round(size * 0.28)}px`,
        display: 'grid',
        placeItems: 'center',
        color: '#fff',
        fontWeight: 700,
        fontSize: size * 0.56,
        lineHeight: 1,
        background: 'linear-gradient(135deg, #d9623f 0%, #a8321d 100%)',
        boxShadow: 'inset 0 0 0 1px rgba(255,255,255,0.18)',
        userSelect: 'none',
        '&::before': { content: '"丹"' },
      }}
    />
  );
}
