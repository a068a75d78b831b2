import { Component, type ErrorInfo, type ReactNode } from 'react'
import { EmptyState } from '../components/empty-state'

type Props = { children: ReactNode; resetKey: string }
type State = { error: Error | null; resetKey: string }

/** Keeps one broken screen from taking the app down; navigating elsewhere (a new `resetKey`) clears it. */
export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null, resetKey: this.props.resetKey }

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error }
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Screen failed', error, info.componentStack)
  }

  render() {
    if (this.state.error) {
      return (
        <EmptyState
          tone="error"
          title="This screen failed"
          action={
            <button type="button" className="button" onClick={() => this.setState({ error: null })}>
              Try again
            </button>
          }
        >
          <p>{this.state.error.message}</p>
          <p>The rest of the app still works: pick another screen on the left.</p>
        </EmptyState>
      )
    }
    return this.props.children
  }
}
