/** A figure with its label and a note; clickable when it drills down. */
export function StatCard({
  label,
  value,
  note,
  onClick,
  testId
}: {
  label: string
  value: string
  note?: string
  onClick?: () => void
  testId?: string
}) {
  const body = (
    <>
      <div className="stat-card-label">{label}</div>
      <div className="stat-card-value" data-testid={testId}>
        {value}
      </div>
      {note ? <div className="stat-card-note">{note}</div> : null}
    </>
  )
  return onClick ? (
    <button type="button" className="stat-card" onClick={onClick}>
      {body}
    </button>
  ) : (
    <div className="stat-card">{body}</div>
  )
}
