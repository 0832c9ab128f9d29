import { useEffect, useRef } from 'preact/hooks';

/**
 * The end of a windowed list: loads the next page when it scrolls into view (a little before, so scrolling does
 * not stall), and is a button too, for keyboards and for browsers without IntersectionObserver.
 */
export function MoreRows(props: { hasMore: boolean; shown: number; total: number; what: string; onMore(): void }) {
  const ref = useRef<HTMLButtonElement>(null);
  const { hasMore, onMore } = props;
  useEffect(() => {
    const element = ref.current;
    if (!hasMore || !element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && onMore(), { rootMargin: '400px 0px' });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasMore, onMore, props.shown]);
  if (!hasMore) return null;
  return (
    <button ref={ref} type="button" class="btn show-all" data-testid="more-rows" onClick={onMore}>
      Show more ({props.shown} of {props.total} {props.what})
    </button>
  );
}
