import type { ReactNode } from 'react'

/** A centred message for empty lists and failures; `action` is usually a button. */
export function EmptyState({
  title,
  children,
  action,
  tone = 'neutral'
}: {
  title: string
  children?: ReactNode
  action?: ReactNode
  tone?: 'neutral' | 'error'
}) {
  return (
    <div className={`empty-state empty-state-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <h2>{title}</h2>
      {children ? <div className="empty-state-body">{children}</div> : null}
      {action ? <div className="empty-state-action">{action}</div> : null}
    </div>
  )
}
